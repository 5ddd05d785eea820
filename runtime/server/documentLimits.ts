import { GraphQLError, parse, type DocumentNode, type ParseOptions, type Source } from 'graphql';
import type { RequestErrorCode } from './errors';

/** Limits on one GraphQL document (docs/PROTOCOL.md "Request limits"). */
export interface DocumentLimits {
  /** Longest document, in characters. Default 1,000,000. */
  maxLength?: number;
  /** Deepest nesting of `{`, `[` and `(`. Default 128 (sync data nests at most 64 levels, see MAX_JSON_DEPTH). */
  maxDepth?: number;
  /** Most lexical tokens (graphql-js `maxTokens`). Default 200,000. */
  maxTokens?: number;
}

/** The envelop `onParse` hook shape (graphql-yoga and envelop plugins); structural, so the runtime needs neither package. */
export interface DocumentLimitsPlugin {
  onParse(payload: { setParseFn(fn: (source: string | Source, options?: ParseOptions) => DocumentNode): void }): void;
}

/**
 * A graphql-yoga / envelop plugin that refuses pathological documents before
 * graphql-js parses them: its parser recurses per nesting level, so a
 * 50,000-deep literal overflows the stack (an HTTP 500). Such a request gets
 * an ordinary GraphQL error response with `extensions.code = DOCUMENT_TOO_COMPLEX` instead.
 *
 * ```ts
 * createYoga({ schema, plugins: [syncDocumentLimits()] })
 * ```
 */
export function syncDocumentLimits(limits: DocumentLimits = {}): DocumentLimitsPlugin {
  const maxLength = limits.maxLength ?? 1_000_000;
  const maxDepth = limits.maxDepth ?? 128;
  const maxTokens = limits.maxTokens ?? 200_000;
  return {
    onParse({ setParseFn }) {
      setParseFn((source, options) => {
        const text = typeof source === 'string' ? source : source.body;
        if (text.length > maxLength) throw tooComplex(`the document is longer than ${maxLength} characters`, { maxLength });
        if (nestingDepth(text, maxDepth) > maxDepth) throw tooComplex(`the document nests deeper than ${maxDepth} levels`, { maxDepth });
        try {
          return parse(source, { ...options, maxTokens });
        } catch (error) {
          if (error instanceof GraphQLError && /maximum number of tokens/i.test(error.message)) {
            throw tooComplex(`the document has more than ${maxTokens} tokens`, { maxTokens });
          }
          throw error;
        }
      });
    },
  };
}

function tooComplex(message: string, extensions: Record<string, number>): GraphQLError {
  const code: RequestErrorCode = 'DOCUMENT_TOO_COMPLEX';
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

/**
 * Deepest bracket nesting of a GraphQL document, skipping strings, block
 * strings and comments; stops counting once past `stopAbove`. One pass, no recursion.
 */
export function nestingDepth(text: string, stopAbove = Infinity): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '#') {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
    } else if (c === '"') {
      if (text.startsWith('"""', i)) {
        const end = text.indexOf('"""', i + 3);
        // Inside a block string only \""" escapes a delimiter.
        let j = end;
        while (j !== -1 && text[j - 1] === '\\') j = text.indexOf('"""', j + 3);
        i = j === -1 ? text.length : j + 2;
      } else {
        i++;
        while (i < text.length && text[i] !== '"' && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      }
    } else if (c === '{' || c === '[' || c === '(') {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > stopAbove) return max;
      }
    } else if (c === '}' || c === ']' || c === ')') depth--;
  }
  return max;
}

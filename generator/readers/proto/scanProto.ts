/**
 * A small lexical scan of a `.proto` file for what a parser does not report:
 * byte offsets. protobufjs gives the facts (numbers, reserved ranges, types);
 * this scan gives where each message opens and closes, so the proto target
 * can insert text without rewriting anything else.
 *
 * It only needs to be right about comments, strings and braces: every `{` is
 * matched with its `}` (messages, enums, oneofs, services, option aggregates),
 * and a `message Name {` header marks a message block.
 */

import { lineIndex } from '../lineIndex';

export interface ProtoToken {
  kind: 'ident' | 'number' | 'string' | 'symbol';
  text: string;
  /** Offset of the first character in the file text. */
  start: number;
}

/** One `message Name { ... }` block. */
export interface MessageBlock {
  /** Dotted path of enclosing messages and this one, without the package (`Task.Inner`). */
  path: string;
  /** Offset of the name token. */
  nameStart: number;
  /** Offset of the opening `{`. */
  open: number;
  /** Offset of the closing `}`. */
  close: number;
  /** Offset of each declared field's name (fields of oneofs included). */
  fieldAt: Record<string, number>;
  /** Offset of each name in the message's `reserved "name"` statements. */
  reservedNameAt: Record<string, number>;
}

export interface ProtoScan {
  /** `proto2`, `proto3` or `editions`; `proto2` when the file declares nothing (the protobuf default). */
  syntax: 'proto2' | 'proto3' | 'editions';
  /** Package name, or '' when the file declares none. */
  package: string;
  messages: MessageBlock[];
  /**
   * Where a new import goes: the end of the line of the last top-level
   * `import` (then `afterImport`), else of `package`, else of `syntax`/`edition`, else 0.
   */
  importAt: { offset: number; afterImport: boolean };
}

// Sticky patterns: matched in place at an offset, without slicing the text.
const IDENT = /[A-Za-z_][A-Za-z0-9_.]*/y;
const NUMBER = /[0-9][A-Za-z0-9_.]*/y;

/** Split proto source into tokens, skipping whitespace and comments. */
export function tokenize(text: string): ProtoToken[] {
  const tokens: ProtoToken[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (text.startsWith('//', i)) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end + 1;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== ch && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      tokens.push({ kind: 'string', text: text.slice(i, j + 1), start: i });
      i = j + 1;
    } else if (/[A-Za-z_]/.test(ch)) {
      IDENT.lastIndex = i;
      const word = IDENT.exec(text)![0];
      tokens.push({ kind: 'ident', text: word, start: i });
      i += word.length;
    } else if (/[0-9]/.test(ch)) {
      NUMBER.lastIndex = i;
      const number = NUMBER.exec(text)![0];
      tokens.push({ kind: 'number', text: number, start: i });
      i += number.length;
    } else {
      tokens.push({ kind: 'symbol', text: ch, start: i });
      i++;
    }
  }
  return tokens;
}

interface Frame {
  /** Message name for `message Name {` blocks, else null. */
  name: string | null;
  /** The keyword that opened a non-message block (`oneof`, `enum`, `=` for option aggregates). */
  keyword: string;
  nameStart: number;
  open: number;
  fieldAt: Record<string, number>;
  reservedNameAt: Record<string, number>;
}

/** Find the syntax, the package and every message block with its brace offsets. */
export function scanProto(text: string): ProtoScan {
  const tokens = tokenize(text);
  const result: ProtoScan = { syntax: 'proto2', package: '', messages: [], importAt: { offset: 0, afterImport: false } };
  const headerEnds: Partial<Record<'syntax' | 'package' | 'import', number>> = {};
  const stack: Frame[] = [];
  let brackets = 0;
  let inReserved = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const next = tokens[i + 1];
    // The message a declaration at this point belongs to: the open message, or the one around an open oneof.
    const top = stack[stack.length - 1];
    const owner = top?.name ? top : top?.keyword === 'oneof' && stack[stack.length - 2]?.name ? stack[stack.length - 2] : undefined;
    if (stack.length === 0 && token.kind === 'ident' && HEADER_STATEMENTS.has(token.text)) {
      let j = i + 1;
      while (j < tokens.length && tokens[j]!.text !== ';') j++;
      if (j < tokens.length)
        headerEnds[token.text === 'edition' ? 'syntax' : (token.text as 'syntax' | 'package' | 'import')] = lineEnd(text, tokens[j]!.start);
    }
    if (token.kind === 'symbol' && (token.text === '[' || token.text === ']')) brackets += token.text === '[' ? 1 : -1;
    if (token.text === ';') inReserved = false;
    if (owner === top && token.kind === 'ident' && token.text === 'reserved') inReserved = true;
    if (inReserved && owner && token.kind === 'string') owner.reservedNameAt[token.text.slice(1, -1)] ??= token.start;
    if (owner && brackets === 0 && token.kind === 'ident' && next?.text === '=' && tokens[i + 2]?.kind === 'number') {
      // `type name = 3` (a field), also matched by `option x = 1`: only names protobufjs reports as fields are looked up.
      owner.fieldAt[token.text] ??= token.start;
    }

    if (stack.length === 0 && token.kind === 'ident' && next?.text === '=' && (token.text === 'syntax' || token.text === 'edition')) {
      const value = tokens[i + 2]?.text.slice(1, -1);
      result.syntax = token.text === 'edition' ? 'editions' : value === 'proto3' ? 'proto3' : 'proto2';
    } else if (stack.length === 0 && token.kind === 'ident' && token.text === 'package' && next?.kind === 'ident') {
      result.package = next.text;
    } else if (token.kind === 'ident' && token.text === 'message' && next?.kind === 'ident' && tokens[i + 2]?.text === '{') {
      stack.push({ name: next.text, keyword: 'message', nameStart: next.start, open: tokens[i + 2]!.start, fieldAt: {}, reservedNameAt: {} });
      i += 2;
    } else if (token.text === '{' && token.kind === 'symbol') {
      const keyword = tokens[i - 1]?.text === '=' || tokens[i - 1]?.text === ':' ? '=' : (tokens[i - 2]?.text ?? '');
      stack.push({ name: null, keyword, nameStart: token.start, open: token.start, fieldAt: {}, reservedNameAt: {} });
    } else if (token.text === '}' && token.kind === 'symbol') {
      const frame = stack.pop();
      if (frame?.name) {
        const path = [...stack.filter((f) => f.name !== null).map((f) => f.name), frame.name].join('.');
        result.messages.push({
          path,
          nameStart: frame.nameStart,
          open: frame.open,
          close: token.start,
          fieldAt: frame.fieldAt,
          reservedNameAt: frame.reservedNameAt,
        });
      }
    }
  }
  result.messages.sort((a, b) => a.open - b.open);
  const at = headerEnds.import ?? headerEnds.package ?? headerEnds.syntax;
  result.importAt = { offset: at ?? 0, afterImport: headerEnds.import !== undefined };
  return result;
}

const HEADER_STATEMENTS = new Set(['syntax', 'edition', 'package', 'import']);

/** Offset just past the end of the line holding `offset` (after its newline). */
function lineEnd(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline < 0 ? text.length : newline + 1;
}

/** 1-based line and column of an offset. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  return lineIndex(text)(offset);
}

import { GraphQLError } from 'graphql';
import type { RequestErrorCode } from '../../protocol/index';

/** Request-level error codes (GraphQL `extensions.code`), see docs/PROTOCOL.md; declared in protocol/vocabulary.ts. */
export type { RequestErrorCode } from '../../protocol/index';

/** A whole-request failure, surfaced as a GraphQL error with `extensions.code`. */
export function requestError(code: RequestErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

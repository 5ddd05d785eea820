import { GraphQLError } from 'graphql';

/** Request-level error codes (GraphQL `extensions.code`), see docs/PROTOCOL.md. */
export type RequestErrorCode =
  | 'UNAUTHENTICATED'
  | 'BAD_REQUEST'
  | 'BAD_CURSOR'
  | 'RESYNC_REQUIRED'
  | 'BATCH_TOO_LARGE'
  | 'UNKNOWN_ENTITY'
  /** Raised by the `syncDocumentLimits` plugin (documentLimits.ts), before execution. */
  | 'DOCUMENT_TOO_COMPLEX';

/** A whole-request failure, surfaced as a GraphQL error with `extensions.code`. */
export function requestError(code: RequestErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

import type { Literal } from '../emit/tsLiteral';
import type { IrFileSpec } from '../ir/types';

/** `{ maxBytes?, accept? }` of a file field, as both the server spec and the client meta declare it. */
export function fileLiteral(file: IrFileSpec): Literal {
  return { maxBytes: file.maxBytes, accept: file.accept ? [...file.accept] : undefined };
}

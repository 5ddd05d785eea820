/**
 * True when `contentType` is one of the accepted media types (`accept` of
 * `@sync.file`, lower case; `image/*` matches any image). Parameters such as
 * `; charset=utf-8` are ignored.
 */
export function acceptsType(accept: readonly string[], contentType: string): boolean {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (!/^[\w.+-]+\/[\w.+-]+$/.test(type)) return false;
  const major = type.slice(0, type.indexOf('/'));
  return accept.some((a) => a === type || a === `${major}/*` || a === '*/*');
}

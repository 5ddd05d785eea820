import { createHash } from 'node:crypto';

/**
 * A digest of a push item as it arrived: two copies of one operation (a
 * retry, a duplicated POST) have the same one; an operation the client
 * changed under the same id (an edit folded into a refused entry) has
 * another. Keys are sorted, and the walk is iterative, so any JSON input
 * (however deep) hashes without recursion.
 */
export function fingerprint(value: unknown): string {
  const hash = createHash('sha256');
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') hash.update(`s${v.length}:${v}`);
    else if (typeof v === 'number' || typeof v === 'boolean') hash.update(`${typeof v}:${String(v)};`);
    else if (v === null || v === undefined) hash.update('n;');
    else if (Array.isArray(v)) {
      hash.update(`a${v.length}[`);
      for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
    } else if (typeof v === 'object') {
      const keys = Object.keys(v as object).sort();
      hash.update(`o${keys.length}{`);
      for (let i = keys.length - 1; i >= 0; i--) stack.push((v as Record<string, unknown>)[keys[i]!], keys[i]);
    } else hash.update(`?${typeof v};`);
  }
  return hash.digest('base64url').slice(0, 22);
}

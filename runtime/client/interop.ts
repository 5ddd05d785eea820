/**
 * The default export of a CommonJS module imported from ESM. WatermelonDB
 * ships CommonJS with `exports.default`; depending on the loader (Node, tsx,
 * vitest, a bundler) the class is at `ns.default` or at `ns.default.default`.
 * The generator reads config files through it too (a `.ts` config in a
 * CommonJS package is compiled to CommonJS by tsx).
 */
export function interopDefault<T>(namespace: T): T {
  let value: unknown = namespace;
  for (let i = 0; i < 2 && typeof value !== 'function'; i++) {
    const next = (value as { default?: unknown } | null)?.default;
    if (next === undefined) break;
    value = next;
  }
  return value as T;
}

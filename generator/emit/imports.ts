/**
 * The import collector of every generated TypeScript file: names are added
 * as code needs them, and `lines()` prints one statement per module,
 * deduplicated and sorted (packages first, then relative paths; names
 * alphabetically), `import type` when every name is a type.
 *
 * Relative specifiers are given without extension and printed with `.js`:
 * generated code is compiled by the app's own build and loaded by Node's ESM
 * loader, which (like `moduleResolution: NodeNext`) resolves no extensionless
 * relative path (README "Output layout"). Package subpaths are printed as
 * given; WatermelonDB's, which has no `exports` map, name their file
 * (`@nozbe/watermelondb/decorators/index.js`).
 */
export class Imports {
  private readonly modules = new Map<string, Map<string, boolean>>();

  /** Import `names` from `from`; `type: true` for type-only names. A name imported as a value stays a value. */
  add(from: string, names: string | readonly string[], options: { type?: boolean } = {}): this {
    const list = typeof names === 'string' ? [names] : names;
    if (list.length === 0) return this;
    let module = this.modules.get(from);
    if (!module) this.modules.set(from, (module = new Map()));
    for (const name of list) {
      module.set(name, (module.get(name) ?? true) && options.type === true);
    }
    return this;
  }

  /** Type-only imports. */
  addType(from: string, names: string | readonly string[]): this {
    return this.add(from, names, { type: true });
  }

  /** One `import` statement per module. */
  lines(): string[] {
    const relative = (m: string) => (m.startsWith('.') ? 1 : 0);
    return [...this.modules.keys()]
      .sort((a, b) => relative(a) - relative(b) || (a < b ? -1 : a > b ? 1 : 0))
      .map((from) => {
        const names = [...this.modules.get(from)!].sort(([a], [b]) => byName(a, b));
        const allTypes = names.every(([, isType]) => isType);
        const list = names.map(([name, isType]) => (isType && !allTypes ? `type ${name}` : name)).join(', ');
        return `import ${allTypes ? 'type ' : ''}{ ${list} } from '${withExtension(from)}';`;
      });
  }
}

/** A relative specifier with the `.js` Node's ESM loader needs; package specifiers unchanged. */
export // What `a.localeCompare(b, 'en')` does (ECMA-402: it constructs this collator), without constructing one per comparison.
const byName = new Intl.Collator('en').compare;

function withExtension(from: string): string {
  return from.startsWith('.') && !/\.(js|mjs|cjs|json)$/.test(from) ? `${from}.js` : from;
}

const IMPORTER = Symbol.for('trackhub-sync.importModule');
type Importer = (specifier: string) => Promise<unknown>;

/**
 * `import()` of an ES module at run time (a config file, tsx's API). The
 * published bin runs the program as one CommonJS script compiled through V8's
 * code cache (bin/main.ts, generator/emit/codeCache.ts), and an `import()`
 * written in such a script has no module loader to call on Node 20
 * (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING); the bin's ES module entry hands
 * over its own `import` instead (`provideImporter`). A specifier resolves the
 * same from either: both files sit in the package's dist/bin/.
 */
export function importModule(specifier: string): Promise<unknown> {
  const importer = (globalThis as { [IMPORTER]?: Importer })[IMPORTER];
  return importer ? importer(specifier) : import(specifier);
}

/** Called by the bin's ES module entry before it loads the program's script (bin/main.ts). */
export function provideImporter(importer: Importer): void {
  (globalThis as { [IMPORTER]?: Importer })[IMPORTER] = importer;
}

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { bindSqlAdapterFactory } from '@prisma/driver-adapter-utils';

const require = createRequire(import.meta.url);

/** The slice of the wasm schema engine used here (`prisma db push`). */
interface WasmSchemaEngine {
  schemaPush(input: {
    force: boolean;
    schema: { files: { path: string; content: string }[] };
    filters: { externalTables: string[]; externalEnums: string[] };
  }): Promise<{ executedSteps: number; warnings: string[]; unexecutable: string[] }>;
  free(): void;
}

let engineClass: Promise<{ new: (options: object, debug: (msg: string) => void, adapter: object) => Promise<WasmSchemaEngine> }> | undefined;

/**
 * Instantiate Prisma's schema engine compiled to WebAssembly. This mirrors
 * `wasmSchemaEngineLoader` of `@prisma/internals`, but reads the `.wasm` from
 * `@prisma/schema-engine-wasm` itself: the published internals package lacks
 * the file (ENVIRONMENT.md), and the engine binary cannot be downloaded here.
 */
function loadEngineClass() {
  engineClass ??= (async () => {
    const runtime = (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as Record<string, unknown> & {
      __wbg_set_wasm(exports: WebAssembly.Exports): void;
      SchemaEngine: { new: (options: object, debug: (msg: string) => void, adapter: object) => Promise<WasmSchemaEngine> };
    };
    const wasmPath = require.resolve('@prisma/schema-engine-wasm').replace(/schema_engine\.js$/, 'schema_engine_bg.wasm');
    const module = new WebAssembly.Module(await readFile(wasmPath));
    // The engine keeps an idle-connection timer (60 s) that would hold the process open: unref it.
    const imports: Record<string, unknown> = { ...runtime };
    for (const key of Object.keys(runtime).filter((k) => k.startsWith('__wbg_setTimeout_'))) {
      const original = runtime[key] as (...args: unknown[]) => { unref?: () => void };
      imports[key] = (...args: unknown[]) => {
        const timer = original(...args);
        timer.unref?.();
        return timer;
      };
    }
    const instance = new WebAssembly.Instance(module, { './schema_engine_bg.js': imports as WebAssembly.ModuleImports });
    runtime.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return runtime.SchemaEngine;
  })();
  return engineClass;
}

/**
 * Create (or bring up to date) the tables of a Prisma schema in the database
 * the adapter factory connects to: `prisma db push --force-reset`-free, no
 * engine binary. Data in tables that stay is kept.
 */
export async function pushSchema(schema: string, adapterFactory: SqlDriverAdapterFactory): Promise<void> {
  const SchemaEngine = await loadEngineClass();
  const files = [{ path: 'schema.prisma', content: schema }];
  const engine = await SchemaEngine.new(
    { datamodels: files.map((f) => [f.path, f.content]) },
    () => {},
    bindSqlAdapterFactory(adapterFactory),
  );
  try {
    const result = await engine.schemaPush({
      force: true,
      schema: { files },
      filters: { externalTables: [], externalEnums: [] },
    });
    if (result.unexecutable.length > 0) throw new Error(`schema push refused: ${result.unexecutable.join('; ')}`);
  } finally {
    engine.free();
  }
}

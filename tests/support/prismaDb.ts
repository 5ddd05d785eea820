import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { bindSqlAdapterFactory } from '@prisma/driver-adapter-utils';

const require = createRequire(import.meta.url);

/** The slice of the wasm schema engine used here (`prisma db push`). */
interface WasmSchemaEngine {
  diff(input: {
    from: { tag: 'empty' };
    to: { tag: 'schemaDatamodel'; files: { path: string; content: string }[] };
    script: boolean;
    exitCode: null;
    filters: { externalTables: string[]; externalEnums: string[] };
  }): Promise<{ exitCode: number; stdout: string | null }>;
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
 * Create the tables of a Prisma schema in the database the adapter factory
 * connects to, without the engine binary.
 *
 * SQLite: `schemaPush` (what `prisma db push` runs); tables are created or
 * brought up to date, data in tables that stay is kept.
 * PostgreSQL: the wasm engine cannot describe an existing PostgreSQL schema
 * through the driver adapter ("Column type 'char' could not be
 * deserialized"), so the creation script is computed with `diff` from an
 * empty schema and run once, on a database that has no tables yet.
 */
export async function pushSchema(schema: string, adapterFactory: SqlDriverAdapterFactory): Promise<void> {
  const SchemaEngine = await loadEngineClass();
  const files = [{ path: 'schema.prisma', content: schema }];
  const filters = { externalTables: [], externalEnums: [] };
  const engine = await SchemaEngine.new({ datamodels: files.map((f) => [f.path, f.content]) }, () => {}, bindSqlAdapterFactory(adapterFactory));
  try {
    if (adapterFactory.provider === 'postgres') {
      const adapter = await adapterFactory.connect();
      try {
        const existing = await adapter.queryRaw({
          sql: "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'",
          args: [],
          argTypes: [],
        });
        if (Number(existing.rows[0]?.[0]) > 0) return;
        const { stdout } = await engine.diff({
          from: { tag: 'empty' },
          to: { tag: 'schemaDatamodel', files },
          script: true,
          exitCode: null,
          filters,
        });
        if (stdout) await adapter.executeScript(stdout);
      } finally {
        await adapter.dispose();
      }
      return;
    }
    const result = await engine.schemaPush({ force: true, schema: { files }, filters });
    if (result.unexecutable.length > 0) throw new Error(`schema push refused: ${result.unexecutable.join('; ')}`);
  } finally {
    engine.free();
  }
}

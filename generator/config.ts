import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { DiagnosticCode, DiagnosticsError, diagnostic } from './diagnostics';

/** File names looked up in the working directory when `--config` is not given. */
export const CONFIG_FILES = ['trackhub-sync.config.ts', 'trackhub-sync.config.mjs', 'trackhub-sync.config.json'];

const pageSize = z
  .object({
    /** Items per pull page when the client asks for none. Default 1000. */
    default: z.number().int().positive().default(1000),
    /** Hard cap on a client's `limit`. Default 5000. */
    max: z.number().int().positive().default(5000),
    /** Per-entity default page size, by entity name. */
    perEntity: z.record(z.string(), z.number().int().positive()).default({}),
  })
  .strict();

/** The config file's shape (`trackhub-sync.config.{ts,mjs,json}`). Paths are relative to the file. */
export const configSchema = z
  .object({
    /** Prisma files, folders of Prisma files, or `.graphql` files. Required (here or with --schema). */
    schema: z.union([z.string(), z.array(z.string())]).optional(),
    /** Output folder, owned by trackhub-sync. Default `generated`. */
    out: z.string().default('generated'),
    /** Module specifier generated code imports the runtime from. Default `trackhub-sync/runtime`. */
    runtimeImport: z.string().default('trackhub-sync/runtime'),
    /** Which targets to emit. All default to true (proto only runs when `proto.files` is set). */
    targets: z
      .object({
        watermelon: z.boolean().default(true),
        client: z.boolean().default(true),
        server: z.boolean().default(true),
        proto: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    /** Local schema migrations (README "Migrations"). */
    migrations: z
      .object({
        /** Emit destructive changes (dropped tables or columns, type changes) as SQL steps. Default false. */
        allowDestructive: z.boolean().default(false),
        /** Destructive changes allowed one by one: `"table"` or `"table.column"`. Default none. */
        allow: z.array(z.string()).default([]),
        /** Renames the user states (never guessed): `{ "table.old": "new" }` or `{ "old_table": "new_table" }`. */
        renames: z.record(z.string(), z.string()).default({}),
      })
      .strict()
      .prefault({}),
    /** Server target (docs/PROTOCOL.md). */
    server: z
      .object({
        pageSize: pageSize.prefault({}),
        /** Largest push batch accepted. Default 500. */
        maxBatch: z.number().int().positive().default(500),
        /** Days tombstones are kept; older cursors get RESYNC_REQUIRED. Default 30. */
        tombstoneHorizonDays: z.number().positive().default(30),
      })
      .strict()
      .prefault({}),
    /** Proto target (README "Proto"). */
    proto: z
      .object({
        /** `.proto` files or folders to update. Default none (target off). */
        files: z.array(z.string()).default([]),
        /** Entity name -> message name, when they differ. */
        messages: z.record(z.string(), z.string()).default({}),
        /** Timestamp type when a file does not import google.protobuf.Timestamp. Default `int64` (ms). */
        timestampType: z.string().default('int64'),
        /** Package of the emitted sync.proto, also its folder under `proto/`. Default `trackhub.sync.v1`. */
        package: z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/, 'must be a protobuf package: dot-separated identifiers, e.g. "acme.sync.v1"')
          .default('trackhub.sync.v1'),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type ConfigInput = z.input<typeof configSchema>;

/** Fully resolved configuration: every default applied, every path absolute. */
export interface ResolvedConfig extends Omit<z.output<typeof configSchema>, 'schema'> {
  /** Folder paths are relative to (config file's folder, or the working directory). */
  baseDir: string;
  /** The config file, if one was read. */
  configFile: string | null;
  /** Absolute input paths. */
  schema: string[];
  /** Absolute output folder. */
  out: string;
}

export interface CliOverrides {
  config?: string;
  schema?: string[];
  proto?: string[];
  out?: string;
  allowDestructive?: boolean;
}

/** Find, load and validate the configuration; flags override the file. */
export async function resolveConfig(flags: CliOverrides, cwd = process.cwd()): Promise<ResolvedConfig> {
  const file = flags.config ? resolve(cwd, flags.config) : CONFIG_FILES.map((f) => resolve(cwd, f)).find(existsSync);
  if (flags.config && !existsSync(file!)) {
    throw new DiagnosticsError([
      diagnostic(DiagnosticCode.config, { file: flags.config, line: 1, column: 1 }, 'config file not found', `Create it or drop --config.`),
    ]);
  }
  const raw = file ? await loadConfigFile(file, cwd) : {};
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const shown = file ? relative(cwd, file) : '<flags>';
    throw new DiagnosticsError(
      parsed.error.issues.map((issue) =>
        diagnostic(
          DiagnosticCode.config,
          { file: shown, ...(file ? locateKey(file, issue.path) : { line: 1, column: 1 }) },
          `config ${issue.path.join('.') || '(root)'}: ${issue.message}`,
          'See the configuration reference in README.md.',
        ),
      ),
    );
  }
  const baseDir = file ? dirname(file) : cwd;
  const config = parsed.data;
  const fromFile = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  const fromCwd = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));
  const schemaList = flags.schema?.length
    ? flags.schema.map(fromCwd)
    : (Array.isArray(config.schema) ? config.schema : config.schema ? [config.schema] : []).map(fromFile);
  if (schemaList.length === 0) {
    throw new DiagnosticsError([
      diagnostic(
        DiagnosticCode.config,
        { file: file ? relative(cwd, file) : '<flags>', line: 1, column: 1 },
        'no schema given',
        'Pass --schema PATH (a .prisma file, a folder of them, or a .graphql file) or set "schema" in the config.',
      ),
    ]);
  }
  return {
    ...config,
    baseDir,
    configFile: file ?? null,
    schema: schemaList,
    out: flags.out ? fromCwd(flags.out) : fromFile(config.out),
    migrations: {
      ...config.migrations,
      allowDestructive: flags.allowDestructive || config.migrations.allowDestructive,
    },
    proto: {
      ...config.proto,
      files: flags.proto?.length ? flags.proto.map(fromCwd) : config.proto.files.map(fromFile),
    },
  };
}

async function loadConfigFile(file: string, cwd: string): Promise<unknown> {
  if (file.endsWith('.json')) {
    try {
      return JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new DiagnosticsError([
        diagnostic(
          DiagnosticCode.config,
          { file: relative(cwd, file), line: 1, column: 1 },
          `config is not valid JSON: ${(error as Error).message}`,
          'Check for trailing commas and unquoted keys.',
        ),
      ]);
    }
  }
  const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
  return mod.default ?? mod;
}

/** Best-effort position of a config key in the file, for located config errors. */
function locateKey(file: string, path: readonly PropertyKey[]): { line: number; column: number } {
  const key = [...path].reverse().find((p) => typeof p === 'string');
  if (typeof key !== 'string') return { line: 1, column: 1 };
  const lines = readFileSync(file, 'utf8').split('\n');
  const index = lines.findIndex((l) => new RegExp(`["']?${key}["']?\\s*:`).test(l));
  return index < 0 ? { line: 1, column: 1 } : { line: index + 1, column: lines[index]!.search(/\S/) + 1 };
}

/** Define a config with type checking: `export default defineConfig({ ... })`. */
export function defineConfig(config: ConfigInput): ConfigInput {
  return config;
}

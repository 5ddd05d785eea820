import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { DiagnosticCode, DiagnosticsError, diagnostic } from './diagnostics';
import { importModule } from './importModule';
import { interopDefault } from '../runtime/client/interop';

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

const fieldName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a field name');
const baseFieldNames = z
  .object({
    /** The field that plays `clientId`. */
    clientId: fieldName.optional(),
    /** The field that plays `version`. */
    version: fieldName.optional(),
    /** The field that plays `updatedAt`. */
    updatedAt: fieldName.optional(),
    /** The field that plays `deletedAt`. */
    deletedAt: fieldName.optional(),
    /** The isolation (tenant) field, `tenantId` by default. */
    scope: fieldName.optional(),
  })
  .strict();

/** The config file's shape (`trackhub-sync.config.{ts,mjs,json}`). Paths are relative to the file. */
export const configSchema = z
  .object({
    /** Prisma files, folders of Prisma files, or `.graphql` files. Required (here or with --schema). */
    schema: z.union([z.string(), z.array(z.string())]).optional(),
    /**
     * Output folder. trackhub-sync deletes or replaces only the files it wrote
     * there (listed in its `.trackhub-sync-manifest.json`); it may not be the
     * config file's folder, the working folder, or a folder above them.
     * Default `generated`.
     */
    out: z.string().default('generated'),
    /**
     * Custom GraphQL scalars and the type each is synced as, e.g. `{ "Date": "DateTime" }`.
     * Values: String, Boolean, Int, BigInt, Float, Decimal, DateTime, Json, Bytes. Default none:
     * a synced field of an unmapped custom scalar is refused (TS109).
     */
    scalars: z.record(z.string(), z.enum(['String', 'Boolean', 'Int', 'BigInt', 'Float', 'Decimal', 'DateTime', 'Json', 'Bytes'])).default({}),
    /**
     * Suffix of the key an SDL relation field implies: `project: Project` is held by
     * `projectId` (README "Relations"). Default `Id`.
     */
    relationKeySuffix: z
      .string()
      .regex(/^[A-Za-z0-9_]+$/, 'must be letters, digits or _')
      .default('Id'),
    /**
     * Schema names of the fields that play the base-field roles, when a schema
     * names them otherwise (as Prisma's `@map` renames a column), e.g.
     * `{ "version": "rowVersion", "deletedAt": "archivedAt" }`; `scope` is the
     * default isolation field (`@sync(scope:)` still wins). `entities` overrides
     * them per entity. A field named like a renamed role is a user field.
     * Default: the protocol names (docs/PROTOCOL.md "Base-field names").
     */
    baseFields: baseFieldNames
      .extend({
        /** Per entity, by entity name: the same keys, over the global ones. */
        entities: z.record(z.string(), baseFieldNames).default({}),
      })
      .strict()
      .prefault({}),
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
        /**
         * The migration history: one snapshot per local schema version
         * (`0001.json`, ...), append-only and committed like `prisma/migrations`.
         * Source, not output: it may not be inside the output folder.
         * Default `trackhub-sync/migrations`.
         */
        history: z.string().min(1).default('trackhub-sync/migrations'),
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
        /**
         * Entities that have no message in the user's proto files: none is looked for or
         * edited (they still travel in the generated sync.proto). Default none.
         */
        withoutMessage: z.array(z.string()).default([]),
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
  /** `migrations.history` is absolute. */
  migrations: z.output<typeof configSchema>['migrations'];
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
  const out = flags.out ? fromCwd(flags.out) : fromFile(config.out);
  const history = fromFile(config.migrations.history);
  const shownFile = file ? relative(cwd, file) : '<flags>';
  const located = (key: string) =>
    key === 'out' && flags.out
      ? { file: '<flags>', line: 1, column: 1 }
      : { file: shownFile, ...(file ? locateKey(file, [key]) : { line: 1, column: 1 }) };
  const placement = [
    ...outPlacementProblems({ out, baseDir, cwd, flag: Boolean(flags.out), configFile: Boolean(file) }).map((message) =>
      diagnostic(
        DiagnosticCode.outputFolder,
        located('out'),
        message,
        'Point it at a folder of its own, such as generated/: trackhub-sync replaces the files it generates there.',
      ),
    ),
  ];
  // An overlap is only worth reporting for an output folder that is otherwise acceptable.
  if (placement.length === 0 && (inside(history, out) || inside(out, history))) {
    placement.push(
      diagnostic(
        DiagnosticCode.config,
        located('history'),
        `config migrations.history: the migration history (${displayPath(cwd, history)}) and the output folder (${displayPath(cwd, out)}) overlap`,
        'The history is source, like prisma/migrations: keep it outside the output folder (default trackhub-sync/migrations beside the config).',
      ),
    );
  }
  if (placement.length > 0) throw new DiagnosticsError(placement);
  return {
    ...config,
    baseDir,
    configFile: file ?? null,
    schema: schemaList,
    out,
    migrations: {
      ...config.migrations,
      history,
      allowDestructive: flags.allowDestructive || config.migrations.allowDestructive,
    },
    proto: {
      ...config.proto,
      files: flags.proto?.length ? flags.proto.map(fromCwd) : config.proto.files.map(fromFile),
    },
  };
}

/**
 * Why an output folder may not be used: it is the config file's folder or the
 * working folder, or contains one of them. The generator replaces files there,
 * so such a folder would put the project itself in its hands.
 */
function outPlacementProblems(where: { out: string; baseDir: string; cwd: string; flag: boolean; configFile: boolean }): string[] {
  const named = `${where.flag ? '--out' : 'out'} ${displayPath(where.cwd, where.out)}`;
  const folders = [
    ...(where.configFile ? [{ dir: where.baseDir, name: 'the config folder' }] : []),
    ...(!where.configFile || where.cwd !== where.baseDir ? [{ dir: where.cwd, name: 'the working folder' }] : []),
  ];
  return folders
    .filter((f) => inside(f.dir, where.out))
    .map((f) => `${named} is ${where.out === f.dir ? f.name : `above ${f.name}`}: the output folder must be a folder of its own`);
}

/** `path` is `folder` or lies under it. */
function inside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** A path as messages show it: relative to `from`, `.` for `from` itself. */
function displayPath(from: string, path: string): string {
  return relative(from, path).split(sep).join('/') || '.';
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
  const mod = file.endsWith('.ts') ? await importTypeScript(file, cwd) : await importModule(pathToFileURL(file).href);
  // The default export, also when a `.ts` config in a CommonJS package was compiled to CommonJS
  // (by tsx): it is then the `default` of the module's exports, one level further down.
  return interopDefault(mod);
}

/**
 * A `.ts` config: Node 20 runs no TypeScript, and the published CLI is plain
 * JavaScript (README "Configuration"), so such a file is loaded through tsx,
 * an optional peer dependency imported only here. Under a loader that already
 * handles `.ts` (tsx, vitest) the plain import works and tsx is not needed.
 */
async function importTypeScript(file: string, cwd: string): Promise<unknown> {
  const url = pathToFileURL(file).href;
  try {
    return await importModule(url);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw error;
  }
  let tsx: { tsImport(specifier: string, parentURL: string): Promise<unknown> };
  try {
    tsx = (await importModule('tsx/esm/api')) as typeof tsx;
  } catch {
    throw new DiagnosticsError([
      diagnostic(
        DiagnosticCode.config,
        { file: relative(cwd, file), line: 1, column: 1 },
        'a TypeScript config needs tsx to load it',
        'Install it (`npm install --save-dev tsx`), or use trackhub-sync.config.mjs or .json.',
      ),
    ]);
  }
  return tsx.tsImport(url, import.meta.url);
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

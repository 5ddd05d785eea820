import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { LocalTable, SchemaChange } from '../../../ir/diff';

/**
 * The migration history (README "Migrations"): one snapshot file per
 * local schema version in the folder `migrations.history` names (default
 * `trackhub-sync/migrations/` beside the config): `0001.json`, `0002.json`, ...
 * It is source, like `prisma/migrations`: append-only, committed, never inside
 * the output folder.
 *
 * Each snapshot records the whole local schema at its version, the typed
 * changes from its parent (so `migrations.ts` is rebuilt from the chain alone,
 * whatever the config says today), the inputs it was generated from, and its
 * parent's hash. The hash chain is what detects a hand edit, a lost file or
 * two branches that each added the same version.
 */
export const SNAPSHOT_FORMAT = 1;

/**
 * Where releases before the history moved out kept the snapshots: `<out>/snapshots/`.
 * Read once to move them to the history folder (README "Migrations").
 */
export const LEGACY_SNAPSHOT_DIR = 'snapshots';

/** `0003.json`: a snapshot's file name in the history folder. */
export function snapshotPath(version: number): string {
  return `${String(version).padStart(4, '0')}.json`;
}

/** The version a snapshot file name claims, or null for a name that is not a snapshot's. */
export function versionOfPath(path: string): number | null {
  const match = /^(\d{4,})\.json$/.exec(path);
  return match ? Number(match[1]) : null;
}

const columnType = z.enum(['string', 'number', 'boolean']);
const column = z.object({ name: z.string().min(1), type: columnType, isOptional: z.boolean(), isIndexed: z.boolean() }).strict();
const table = z.object({ name: z.string().min(1), entity: z.string().nullable(), columns: z.array(column) }).strict();

const change = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('createTable'), table }).strict(),
  z.object({ kind: z.literal('addColumns'), table: z.string(), entity: z.string().nullable(), columns: z.array(column).min(1) }).strict(),
  z.object({ kind: z.literal('addIndex'), table: z.string(), column: z.string() }).strict(),
  z.object({ kind: z.literal('dropIndex'), table: z.string(), column: z.string() }).strict(),
  z.object({ kind: z.literal('changeOptionality'), table: z.string(), column: z.string(), type: columnType, isOptional: z.boolean() }).strict(),
  z.object({ kind: z.literal('renameTable'), from: z.string(), to: z.string() }).strict(),
  z.object({ kind: z.literal('renameColumn'), table: z.string(), from: z.string(), to: z.string() }).strict(),
  z.object({ kind: z.literal('dropColumn'), table: z.string(), column: z.string() }).strict(),
  z.object({ kind: z.literal('dropTable'), table: z.string() }).strict(),
  z
    .object({
      kind: z.literal('changeType'),
      table: z.string(),
      entity: z.string().nullable(),
      column: z.string(),
      from: columnType,
      to: columnType,
      isOptional: z.boolean(),
    })
    .strict(),
]);

/** zod schema of a snapshot file; every snapshot is validated when read. */
export const snapshotSchema = z
  .object({
    format: z.literal(SNAPSHOT_FORMAT),
    version: z.number().int().min(1),
    /** `sha256:<hex>` of the parent snapshot's canonical JSON; null for version 1. */
    parent: z
      .string()
      .regex(/^sha256:[0-9a-f]{64}$/)
      .nullable(),
    /** The schema inputs this version was generated from (generated headers name none). */
    sources: z.array(z.string()),
    /** Changes from the parent's tables to these tables, in execution order. */
    changes: z.array(change),
    tables: z.array(table),
  })
  .strict();

export interface Snapshot {
  format: typeof SNAPSHOT_FORMAT;
  version: number;
  parent: string | null;
  sources: string[];
  changes: SchemaChange[];
  tables: LocalTable[];
}

// Compile-time check that the zod schema and the TypeScript types agree.
const _typesAgree: (s: z.output<typeof snapshotSchema>) => Snapshot = (s) => s;
void _typesAgree;

/**
 * The file's bytes: zod-normalised key order, two-space JSON, trailing
 * newline, and flat objects (a column, most changes) on one line each so a
 * schema change reads as a one-line diff in review.
 */
export function serializeSnapshot(snapshot: Snapshot): string {
  const json = JSON.stringify(snapshotSchema.parse(snapshot), null, 2).replace(
    /\{\n([^{}[\]]*?)\n\s*\}/g,
    (_, body: string) =>
      `{ ${body
        .split('\n')
        .map((line) => line.trim())
        .join(' ')} }`,
  );
  return `${json}\n`;
}

/** `sha256:<hex>` of the snapshot's canonical (compact) JSON, so whitespace never breaks the chain. */
export function snapshotHash(snapshot: Snapshot): string {
  return parsedSnapshotHash(snapshotSchema.parse(snapshot));
}

/**
 * `snapshotHash` of a snapshot as `snapshotSchema` parsed it (a file read
 * from the history): already in the schema's key order, the canonical form,
 * so it is not parsed a second time (parsing that output returns it as is).
 */
export function parsedSnapshotHash(parsed: Snapshot): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(parsed)).digest('hex')}`;
}

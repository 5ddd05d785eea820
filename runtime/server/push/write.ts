import { randomUUID } from 'node:crypto';
import type { EntityRuntime } from '../core';
import { Params, quote } from '../sql';
import { cellExpr, jsonCell, rowsSource } from './jsonRows';
import type { PrismaTx, SqlDialect, SyncFieldDescriptor, SyncResultItem, WireRecord } from '../types';

/** Table of the operation-id replay log (emitted in `server/prisma/sync.prisma`). */
export const OPERATION_TABLE = 'SyncOperation';

const UNSET = Symbol('unset');

/** The value a create that omits `field` gets (raw inserts bypass Prisma's client-side defaults). */
function defaultValue(field: SyncFieldDescriptor, now: Date): unknown {
  if (field.stampedOnWrite) return now.toISOString();
  const d = field.default;
  if (!d) return field.isList ? [] : null;
  if (d.kind === 'value') return d.value;
  switch (d.name) {
    case 'now':
      return now.toISOString();
    case 'uuid':
    case 'cuid':
      return randomUUID();
    default:
      return UNSET; // autoincrement(), dbgenerated(): the database fills it in
  }
}

/** Builds one write statement, binding its values through the given parameters. */
export type WriteStatement = (p: Params) => string;

/**
 * Run write statements in the caller's transaction. PostgreSQL gets them as
 * ONE statement (all but the last as data-modifying `WITH` parts, each
 * executed once and to completion): a round trip and Prisma's per-call work
 * per statement saved. SQLite allows no INSERT / UPDATE inside `WITH`: one
 * statement each (no network between them). The statements touch disjoint
 * rows (new records, existing records, the replay log), so running them in
 * one statement, which sees one snapshot, changes nothing they write.
 */
export async function runWrites(tx: PrismaTx, dialect: SqlDialect, statements: readonly WriteStatement[]): Promise<void> {
  if (dialect === 'sqlite' || statements.length === 1) {
    for (const build of statements) {
      const p = new Params(dialect);
      const sql = build(p);
      await tx.$executeRawUnsafe(sql, ...p.values);
    }
    return;
  }
  if (statements.length === 0) return;
  const p = new Params(dialect);
  const sqls = statements.map((build) => build(p));
  const last = sqls.pop()!;
  await tx.$executeRawUnsafe(`WITH ${sqls.map((sql, i) => `w${i} AS (${sql})`).join(', ')} ${last}`, ...p.values);
}

/** One INSERT … SELECT over a JSON parameter for new records (full rows, wire form); null when there are none. */
export function insertStatement(dialect: SqlDialect, entity: EntityRuntime, rows: readonly WireRecord[], now: Date): WriteStatement | null {
  if (rows.length === 0) return null;
  const fields = entity.descriptor.fields;
  // A column no row sets, whose default is NULL (nullable) or a literal, is left
  // to the database's own default (Prisma creates literal @default values as
  // column defaults).
  const candidates = fields.filter(
    (f) => f.isList || !(f.default ? f.default.kind === 'value' : !f.isRequired) || rows.some((row) => row[f.name] !== undefined),
  );
  const values = rows.map((row) => candidates.map((f) => (row[f.name] !== undefined ? row[f.name] : defaultValue(f, now))));
  // autoincrement() / dbgenerated() columns no row sets are left to the database.
  const kept = candidates.flatMap((_, c) => (values.some((row) => row[c] !== UNSET) ? [c] : []));
  const usable = kept.map((c) => candidates[c]!);
  const text = JSON.stringify(values.map((row) => kept.map((c, i) => jsonCell(dialect, usable[i]!, row[c] === UNSET ? null : row[c]))));
  const exprs = usable.map((f, i) => cellExpr(dialect, f, i));
  return (p) =>
    `INSERT INTO ${quote(entity.descriptor.table)} (${usable.map((c) => quote(c.column)).join(', ')}) SELECT ${exprs.join(', ')} FROM ${rowsSource(dialect, p.add(text))}`;
}

/**
 * Changed records, one UPDATE per set of changed columns (a batch usually has
 * one or two): `UPDATE t SET c = v.c FROM (SELECT … FROM <json rows>) AS v
 * WHERE t.id = v.id`, one statement on SQLite (3.33+) and PostgreSQL.
 */
export function updateStatements(
  dialect: SqlDialect,
  entity: EntityRuntime,
  rows: readonly { id: string; values: WireRecord }[],
  now: Date = new Date(),
): WriteStatement[] {
  const groups = new Map<string, { id: string; values: WireRecord }[]>();
  // Prisma sets `@updatedAt` in its client; raw SQL must stamp those columns itself.
  const stamped = entity.descriptor.fields.filter((f) => f.stampedOnWrite);
  for (const original of rows) {
    const row =
      stamped.length === 0
        ? original
        : { id: original.id, values: { ...original.values, ...Object.fromEntries(stamped.map((f) => [f.name, now.toISOString()])) } };
    const key = Object.keys(row.values).sort().join('\u0000');
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  const idField = entity.fields.get('id')!;
  const table = quote(entity.descriptor.table);
  return [...groups].map(([key, group]) => {
    const fields = key.split('\u0000').map((name) => entity.fields.get(name)!);
    const text = JSON.stringify(group.map((row) => [row.id, ...fields.map((f) => jsonCell(dialect, f, row.values[f.name]))]));
    const exprs = [`${cellExpr(dialect, idField, 0)} AS id`, ...fields.map((f, i) => `${cellExpr(dialect, f, i + 1)} AS c${i}`)];
    const sets = fields.map((f, i) => `${quote(f.column)} = v.c${i}`);
    return (p: Params) =>
      `UPDATE ${table} SET ${sets.join(', ')} FROM (SELECT ${exprs.join(', ')} FROM ${rowsSource(dialect, p.add(text))}) AS v ` +
      `WHERE ${table}.${quote(idField.column)} = v.id`;
  });
}

/**
 * Store terminal results (success, conflict, validation, forbidden, not
 * found) by (tenant, entity, operation id), in the transaction that decided
 * them, so any later copy of the operation is answered from here without
 * being applied (docs/PROTOCOL.md "Replay"). A stored result is never
 * replaced. Null when there are none.
 */
export function recordStatement(
  dialect: SqlDialect,
  tenantId: string,
  entity: string,
  ops: readonly { opId: string; result: SyncResultItem }[],
  now: Date,
): WriteStatement | null {
  if (ops.length === 0) return null;
  const text: SyncFieldDescriptor = {
    name: 'x',
    column: 'x',
    type: 'String',
    isList: false,
    isRequired: true,
    access: 'server',
    merge: 'lww',
    default: null,
  };
  const rows = JSON.stringify(ops.map((o) => [o.opId, compact(o.result)]));
  const cols = ['tenantId', 'entity', 'opId', 'result', 'createdAt'].map(quote).join(', ');
  return (p) => {
    const head = [p.add(tenantId), p.add(entity), cellExpr(dialect, text, 0), cellExpr(dialect, text, 1), p.add(now, 'timestamp(3)')];
    // `WHERE true`: SQLite's parser needs it between INSERT … SELECT and ON CONFLICT.
    return `INSERT INTO ${quote(OPERATION_TABLE)} (${cols}) SELECT ${head.join(', ')} FROM ${rowsSource(dialect, p.add(rows))} WHERE true ON CONFLICT DO NOTHING`;
  };
}

/** Store terminal results (`recordStatement`). */
export async function recordOperations(
  tx: PrismaTx,
  dialect: SqlDialect,
  tenantId: string,
  entity: string,
  ops: readonly { opId: string; result: SyncResultItem }[],
  now: Date,
): Promise<void> {
  const statement = recordStatement(dialect, tenantId, entity, ops, now);
  if (statement) await runWrites(tx, dialect, [statement]);
}

/** The fields a stored result leaves out (`compact`). */
export const EMPTY_RESULT: SyncResultItem = {
  clientId: null,
  id: null,
  success: false,
  errorCode: null,
  errorMessage: null,
  version: null,
  updatedAt: null,
  conflict: null,
};

/** A stored result without its null fields (read back over EMPTY_RESULT). */
function compact(result: SyncResultItem): string {
  const out: Partial<SyncResultItem> = {};
  for (const key of Object.keys(result) as (keyof SyncResultItem)[]) {
    if (result[key] !== null) (out as Record<string, unknown>)[key] = result[key];
  }
  return JSON.stringify(out);
}

import { randomUUID } from 'node:crypto';
import type { EntityRuntime } from '../core';
import { Params, quote } from '../sql';
import { cellExpr, jsonCell, rowsSource } from './jsonRows';
import type { PrismaTx, SqlDialect, SyncFieldDescriptor, SyncResultItem, WireRecord } from '../types';

/** Table of the operation-id replay log (emitted in `server/prisma/sync.prisma`). */
export const OPERATION_TABLE = 'SyncOperation';

const UNSET = Symbol('unset');

/** The value a create that omits `field` gets (raw inserts bypass Prisma's client-side defaults). */
function defaultValue(field: SyncFieldDescriptor, nowIso: string): unknown {
  if (field.stampedOnWrite) return nowIso;
  const d = field.default;
  if (!d) return field.isList ? [] : null;
  if (d.kind === 'value') return d.value;
  switch (d.name) {
    case 'now':
      return nowIso;
    case 'uuid':
    case 'cuid':
      return randomUUID();
    default:
      return UNSET; // autoincrement(), dbgenerated(): the database fills it in
  }
}

/** Whether `defaultValue` leaves the column to the database (autoincrement(), dbgenerated()). */
function databaseFills(field: SyncFieldDescriptor): boolean {
  const d = field.default;
  return !field.stampedOnWrite && d != null && d.kind !== 'value' && !['now', 'uuid', 'cuid'].includes(d.name);
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
 * `sqliteJsonb`: the SQLite has `jsonb_each` (`sqliteHasJsonb`).
 */
export async function runWrites(tx: PrismaTx, dialect: SqlDialect, statements: readonly WriteStatement[], sqliteJsonb = false): Promise<void> {
  if (dialect === 'sqlite' || statements.length === 1) {
    for (const build of statements) {
      const p = new Params(dialect, sqliteJsonb);
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

/** INSERT texts of an entity by dialect and set of columns (a batch's statement text is built once). */
const insertTexts = new WeakMap<EntityRuntime, Map<string, string>>();

/** One INSERT … SELECT over a JSON parameter for new records (full rows, wire form); null when there are none. */
export function insertStatement(dialect: SqlDialect, entity: EntityRuntime, rows: readonly WireRecord[], now: Date): WriteStatement | null {
  if (rows.length === 0) return null;
  const nowIso = now.toISOString();
  const usable: SyncFieldDescriptor[] = [];
  for (const f of entity.descriptor.fields) {
    const setBySome = rows.some((row) => row[f.name] !== undefined);
    // A column no row sets, whose default is NULL (nullable) or a literal, is left
    // to the database's own default (Prisma creates literal @default values as
    // column defaults); so is an autoincrement() / dbgenerated() one.
    if (!setBySome && ((!f.isList && (f.default ? f.default.kind === 'value' : !f.isRequired)) || databaseFills(f))) continue;
    usable.push(f);
  }
  const cells = rows.map((row) => {
    const out: unknown[] = new Array(usable.length);
    for (let i = 0; i < usable.length; i++) {
      const f = usable[i]!;
      let value = row[f.name];
      if (value === undefined) {
        value = defaultValue(f, nowIso);
        if (value === UNSET) value = null; // another row of the batch sets this column
      }
      out[i] = jsonCell(dialect, f, value);
    }
    return out;
  });
  const text = JSON.stringify(cells);
  let texts = insertTexts.get(entity);
  if (!texts) insertTexts.set(entity, (texts = new Map()));
  const key = `${dialect}:${usable.map((f) => f.name).join(',')}`;
  let head = texts.get(key);
  if (head === undefined) {
    const exprs = usable.map((f, i) => cellExpr(dialect, f, i));
    head = `INSERT INTO ${quote(entity.descriptor.table)} (${usable.map((c) => quote(c.column)).join(', ')}) SELECT ${exprs.join(', ')} FROM `;
    texts.set(key, head);
  }
  const sql = head;
  return (p) => sql + rowsSource(dialect, p.add(text), p.sqliteJsonb);
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
      `UPDATE ${table} SET ${sets.join(', ')} FROM (SELECT ${exprs.join(', ')} FROM ${rowsSource(dialect, p.add(text), p.sqliteJsonb)}) AS v ` +
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
    return `INSERT INTO ${quote(OPERATION_TABLE)} (${cols}) SELECT ${head.join(', ')} FROM ${rowsSource(dialect, p.add(rows), p.sqliteJsonb)} WHERE true ON CONFLICT DO NOTHING`;
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

/** A stored result without its null fields (read back over EMPTY_RESULT), as JSON text written directly. */
function compact(result: SyncResultItem): string {
  let out = '';
  for (const key in result) {
    const value = (result as unknown as Record<string, unknown>)[key];
    if (value === null || value === undefined) continue;
    out += `${out ? ',' : '{'}${JSON.stringify(key)}:${JSON.stringify(value)}`;
  }
  return out ? `${out}}` : '{}';
}

import { randomUUID } from 'node:crypto';
import type { EntityRuntime } from '../core';
import { Params, pgType, quote, wireToParam } from '../sql';
import type { PrismaTx, SqlDialect, SyncFieldDescriptor, SyncResultItem, WireRecord } from '../types';

/** Table of the operation-id replay log (emitted in `server/prisma/sync.prisma`). */
export const OPERATION_TABLE = 'SyncOperation';

// SQLite binds at most 32,766 parameters per statement; PostgreSQL 65,535.
const MAX_PARAMS = 30_000;

const UNSET = Symbol('unset');

/** The value a create that omits `field` gets (raw inserts bypass Prisma's client-side defaults). */
function defaultValue(field: SyncFieldDescriptor, now: Date): unknown {
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

/** One multi-row INSERT per chunk for new records (full rows, wire form). */
export async function insertRows(tx: PrismaTx, dialect: SqlDialect, entity: EntityRuntime, rows: readonly WireRecord[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  const fields = entity.descriptor.fields;
  // A column no row sets, whose default is NULL (nullable) or a literal, is left
  // to the database's own default (Prisma creates literal @default values as column
  // defaults): fewer bound parameters, the largest cost of the statement.
  const omitted = fields.map(
    (f) => !f.isList && (f.default ? f.default.kind === 'value' : !f.isRequired) && rows.every((row) => row[f.name] === undefined),
  );
  const matrix = rows.map((row) => fields.map((f, i) => (omitted[i] ? UNSET : row[f.name] !== undefined ? row[f.name] : defaultValue(f, now))));
  const used = fields.map((_, i) => !omitted[i] && matrix.some((values) => values[i] !== UNSET));
  const columns = fields.filter((_, i) => used[i]);
  const indexes = fields.flatMap((_, i) => (used[i] ? [i] : []));
  const casts = columns.map((f) => pgType(f));
  const perChunk = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  for (let start = 0; start < rows.length; start += perChunk) {
    const p = new Params(dialect);
    const tuples = matrix.slice(start, start + perChunk).map((values) => {
      const cells = columns.map((f, c) => {
        const value = values[indexes[c]!];
        return p.add(wireToParam(f, value === UNSET ? null : value), casts[c]);
      });
      return `(${cells.join(', ')})`;
    });
    const sql = `INSERT INTO ${quote(entity.descriptor.table)} (${columns.map((c) => quote(c.column)).join(', ')}) VALUES ${tuples.join(', ')}`;
    await tx.$executeRawUnsafe(sql, ...p.values);
  }
}

/**
 * Changed records, written with one UPDATE per set of changed columns (a batch
 * usually has one or two): `WITH v(id, …) AS (VALUES …) UPDATE t SET c = v.c
 * FROM v WHERE t.id = v.id`, which SQLite (3.33+) and PostgreSQL both run as a
 * single statement.
 */
export async function updateRows(
  tx: PrismaTx,
  dialect: SqlDialect,
  entity: EntityRuntime,
  rows: readonly { id: string; values: WireRecord }[],
): Promise<void> {
  const groups = new Map<string, { id: string; values: WireRecord }[]>();
  for (const row of rows) {
    const key = Object.keys(row.values).sort().join('\u0000');
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  const idField = entity.fields.get('id')!;
  const table = quote(entity.descriptor.table);
  for (const [key, group] of groups) {
    const fields = key.split('\u0000').map((name) => entity.fields.get(name)!);
    const perChunk = Math.max(1, Math.floor(MAX_PARAMS / (fields.length + 1)));
    const aliases = fields.map((_, i) => `c${i}`);
    for (let start = 0; start < group.length; start += perChunk) {
      const p = new Params(dialect);
      const tuples = group.slice(start, start + perChunk).map((row) => {
        const cells = [p.add(row.id, pgType(idField)), ...fields.map((f) => p.add(wireToParam(f, row.values[f.name]), pgType(f)))];
        return `(${cells.join(', ')})`;
      });
      const sets = fields.map((f, i) => `${quote(f.column)} = v.${aliases[i]}`);
      const sql =
        `WITH v(id, ${aliases.join(', ')}) AS (VALUES ${tuples.join(', ')}) ` +
        `UPDATE ${table} SET ${sets.join(', ')} FROM v WHERE ${table}.${quote(idField.column)} = v.id`;
      await tx.$executeRawUnsafe(sql, ...p.values);
    }
  }
}

/** Record successful results by operation id, so a replay returns them without writing. */
export async function recordOperations(
  tx: PrismaTx,
  dialect: SqlDialect,
  tenantId: string,
  entity: string,
  ops: readonly { opId: string; result: SyncResultItem }[],
  now: Date,
): Promise<void> {
  if (ops.length === 0) return;
  const perChunk = Math.floor(MAX_PARAMS / 5);
  for (let start = 0; start < ops.length; start += perChunk) {
    const p = new Params(dialect);
    const tuples = ops
      .slice(start, start + perChunk)
      .map((o) => `(${p.add(tenantId)}, ${p.add(o.opId)}, ${p.add(entity)}, ${p.add(compact(o.result))}, ${p.add(now, 'timestamp(3)')})`);
    const cols = ['tenantId', 'opId', 'entity', 'result', 'createdAt'].map(quote).join(', ');
    const sql = `INSERT INTO ${quote(OPERATION_TABLE)} (${cols}) VALUES ${tuples.join(', ')} ON CONFLICT DO NOTHING`;
    await tx.$executeRawUnsafe(sql, ...p.values);
  }
}

const EMPTY_RESULT: SyncResultItem = {
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

/** Original results of operations already applied, by operation id. */
export async function readOperations(tx: PrismaTx, dialect: SqlDialect, tenantId: string, opIds: readonly string[]): Promise<Map<string, SyncResultItem>> {
  const found = new Map<string, SyncResultItem>();
  if (opIds.length === 0) return found;
  const p = new Params(dialect);
  const tenant = p.add(tenantId);
  const list = opIds.map((id) => p.add(id)).join(', ');
  const sql = `SELECT ${quote('opId')}, ${quote('result')} FROM ${quote(OPERATION_TABLE)} WHERE ${quote('tenantId')} = ${tenant} AND ${quote('opId')} IN (${list})`;
  const rows = await tx.$queryRawUnsafe<{ opId: string; result: string }[]>(sql, ...p.values);
  for (const row of rows) found.set(row.opId, { ...EMPTY_RESULT, ...(JSON.parse(row.result) as Partial<SyncResultItem>) });
  return found;
}

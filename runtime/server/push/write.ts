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
  // A column no row sets, whose default is NULL or a literal, is left to the
  // database's own default (Prisma creates literal @default values as column
  // defaults): fewer bound parameters, the largest cost of the statement.
  const omitted = fields.map((f) => (!f.default || f.default.kind === 'value') && rows.every((row) => row[f.name] === undefined));
  const matrix = rows.map((row) => fields.map((f, i) => (omitted[i] ? UNSET : row[f.name] !== undefined ? row[f.name] : defaultValue(f, now))));
  const used = fields.map((_, i) => !omitted[i] && matrix.some((values) => values[i] !== UNSET));
  const columns = fields.filter((_, i) => used[i]);
  const perChunk = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  for (let start = 0; start < rows.length; start += perChunk) {
    const p = new Params(dialect);
    const tuples = matrix.slice(start, start + perChunk).map((values) => {
      const cells = fields.flatMap((f, i) => (used[i] ? [p.add(wireToParam(f, values[i] === UNSET ? null : values[i]), pgType(f))] : []));
      return `(${cells.join(', ')})`;
    });
    const sql = `INSERT INTO ${quote(entity.descriptor.table)} (${columns.map((c) => quote(c.column)).join(', ')}) VALUES ${tuples.join(', ')}`;
    await tx.$executeRawUnsafe(sql, ...p.values);
  }
}

/**
 * One UPDATE per chunk for changed records: each touched column is set with
 * `CASE id WHEN … THEN … ELSE column END`, which both SQLite and PostgreSQL
 * run as a single statement.
 */
export async function updateRows(
  tx: PrismaTx,
  dialect: SqlDialect,
  entity: EntityRuntime,
  rows: readonly { id: string; values: WireRecord }[],
): Promise<void> {
  if (rows.length === 0) return;
  const idField = entity.fields.get('id')!;
  const idCol = quote(idField.column);
  for (let start = 0; start < rows.length; ) {
    const p = new Params(dialect);
    const chunk: { id: string; values: WireRecord }[] = [];
    let cost = 0;
    while (start < rows.length && (chunk.length === 0 || cost + Object.keys(rows[start]!.values).length * 2 + 1 < MAX_PARAMS)) {
      cost += Object.keys(rows[start]!.values).length * 2 + 1;
      chunk.push(rows[start]!);
      start++;
    }
    const names = [...new Set(chunk.flatMap((r) => Object.keys(r.values)))];
    const sets = names.map((name) => {
      const field = entity.fields.get(name)!;
      const col = quote(field.column);
      const whens = chunk
        .filter((r) => Object.hasOwn(r.values, name))
        .map((r) => `WHEN ${p.add(r.id, pgType(idField))} THEN ${p.add(wireToParam(field, r.values[name]), pgType(field))}`);
      return `${col} = CASE ${idCol} ${whens.join(' ')} ELSE ${col} END`;
    });
    const ids = chunk.map((r) => p.add(r.id, pgType(idField)));
    const sql = `UPDATE ${quote(entity.descriptor.table)} SET ${sets.join(', ')} WHERE ${idCol} IN (${ids.join(', ')})`;
    await tx.$executeRawUnsafe(sql, ...p.values);
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
      .map((o) => `(${p.add(tenantId)}, ${p.add(o.opId)}, ${p.add(entity)}, ${p.add(JSON.stringify(o.result))}, ${p.add(now, 'timestamp(3)')})`);
    const cols = ['tenantId', 'opId', 'entity', 'result', 'createdAt'].map(quote).join(', ');
    const sql = `INSERT INTO ${quote(OPERATION_TABLE)} (${cols}) VALUES ${tuples.join(', ')} ON CONFLICT DO NOTHING`;
    await tx.$executeRawUnsafe(sql, ...p.values);
  }
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
  for (const row of rows) found.set(row.opId, JSON.parse(row.result) as SyncResultItem);
  return found;
}

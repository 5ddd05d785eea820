import { reserveSequence } from './sequence';
import { Params, pgType, quote } from './sql';
import { describeEntity } from './describeEntity';
import type { PrismaTx, SqlDialect, SyncEntitySpec } from './types';

/**
 * Make rows written by the app's own server code visible to pulls: give them
 * the next change-sequence numbers of (tenant, entity). Call it inside the
 * transaction that wrote the rows, after the writes, e.g. for reference data
 * of a `pullOnly` entity:
 *
 * ```ts
 * await prisma.$transaction(async (tx) => {
 *   const label = await tx.label.create({ data: { name: 'urgent', tenantId } });
 *   await markServerWrites(tx, 'sqlite', LabelEntity, tenantId, [label.id]);
 * });
 * ```
 *
 * The numbers are taken under the counter row's lock like the sync API's own
 * writes, so the pull cursor stays exact. Bump `version` / `updatedAt` yourself
 * when you change a record (clients compare versions).
 */
export async function markServerWrites(
  tx: PrismaTx,
  dialect: SqlDialect,
  spec: SyncEntitySpec,
  tenantId: string,
  ids: readonly string[],
): Promise<void> {
  if (ids.length === 0) return;
  const entity = describeEntity(spec);
  if (!entity.sequence) throw new Error(`trackhub-sync: entity ${entity.name} has no change-sequence field`);
  let seq = await reserveSequence(tx, dialect, tenantId, entity.name, ids.length);
  const idField = entity.fields.find((f) => f.name === 'id')!;
  const table = quote(entity.table);
  const p = new Params(dialect);
  const tuples = ids.map((id) => `(${p.add(id, pgType(idField))}, ${p.add(seq++, 'bigint')})`);
  const sql =
    `WITH v(id, seq) AS (VALUES ${tuples.join(', ')}) ` +
    `UPDATE ${table} SET ${quote(entity.sequence.column)} = v.seq FROM v ` +
    `WHERE ${table}.${quote(idField.column)} = v.id AND ${table}.${quote(entity.fields.find((f) => f.name === entity.scope)?.column ?? entity.scope)} = ${p.add(tenantId)}`;
  await tx.$executeRawUnsafe(sql, ...p.values);
}

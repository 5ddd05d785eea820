import { Params, quote } from './sql';
import type { PrismaTx, SqlDialect } from './types';

/** Table of the per (tenant, entity) change counters (emitted in `server/prisma/sync.prisma`). */
export const COUNTER_TABLE = 'SyncCounter';

/**
 * Reserve `count` sequence numbers for (tenant, entity) and return the first.
 *
 * The upsert takes the counter row's write lock, held until the transaction
 * ends, so two writers of the same tenant and entity commit in the order of
 * their numbers: a reader that sees sequence N committed has already seen
 * every number below N (PostgreSQL row lock; SQLite has a single writer).
 * Called first in a push transaction, it also serialises the batch's
 * read-decide-write against concurrent pushes of the same entity.
 */
export async function reserveSequence(tx: PrismaTx, dialect: SqlDialect, tenantId: string, entity: string, count: number): Promise<bigint> {
  const p = new Params(dialect);
  const t = quote(COUNTER_TABLE);
  const sql =
    `INSERT INTO ${t} (${quote('tenantId')}, ${quote('entity')}, ${quote('seq')}) ` +
    `VALUES (${p.add(tenantId)}, ${p.add(entity)}, ${p.add(BigInt(count), 'bigint')}) ` +
    `ON CONFLICT (${quote('tenantId')}, ${quote('entity')}) DO UPDATE SET ${quote('seq')} = ${t}.${quote('seq')} + excluded.${quote('seq')} ` +
    `RETURNING ${quote('seq')}`;
  const rows = await tx.$queryRawUnsafe<{ seq: bigint | number }[]>(sql, ...p.values);
  const last = BigInt(rows[0]!.seq);
  return last - BigInt(count) + 1n;
}

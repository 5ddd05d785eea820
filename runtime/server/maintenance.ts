import { Params, quote } from './sql';
import { describeEntity } from './describeEntity';
import type { PrismaLike, SqlDialect, SyncEntitySpec } from './types';
import { OPERATION_TABLE } from './push/write';

const DAY_MS = 86_400_000;

/**
 * Delete replay-log entries older than `ttlDays` (default 7): a client that
 * retries an operation later than that is treated as a new operation, which
 * creates stay safe against (they are idempotent by clientId). Run it on a
 * schedule; returns the number of rows removed.
 */
export async function purgeSyncOperations(prisma: PrismaLike, dialect: SqlDialect, options: { ttlDays?: number; now?: Date } = {}): Promise<number> {
  const cutoff = new Date((options.now ?? new Date()).getTime() - (options.ttlDays ?? 7) * DAY_MS);
  const p = new Params(dialect);
  return prisma.$executeRawUnsafe(
    `DELETE FROM ${quote(OPERATION_TABLE)} WHERE ${quote('createdAt')} < ${p.add(cutoff, 'timestamp(3)')}`,
    ...p.values,
  );
}

/**
 * Hard-delete tombstones (soft-deleted rows) older than the horizon. Cursors
 * older than the same horizon get `RESYNC_REQUIRED`, so no client can miss a
 * deletion removed here. Returns the number of rows removed.
 */
export async function purgeTombstones(
  prisma: PrismaLike,
  dialect: SqlDialect,
  spec: SyncEntitySpec,
  options: { horizonDays: number; now?: Date },
): Promise<number> {
  const entity = describeEntity(spec);
  const cutoff = new Date((options.now ?? new Date()).getTime() - options.horizonDays * DAY_MS);
  const deletedAt = entity.fields.find((f) => f.name === entity.base.deletedAt)!;
  const p = new Params(dialect);
  const sql = `DELETE FROM ${quote(entity.table)} WHERE ${quote(deletedAt.column)} IS NOT NULL AND ${quote(deletedAt.column)} < ${p.add(cutoff, 'timestamp(3)')}`;
  return prisma.$executeRawUnsafe(sql, ...p.values);
}

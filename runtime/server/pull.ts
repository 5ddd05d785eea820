import { decodeCursor, encodeCursor } from './cursor';
import type { EntityRuntime, SyncCore } from './core';
import { requestError } from './errors';
import { rowToWire } from './wire';
import type { SyncAuth, SyncPullArgs, SyncPullResponse, WireRecord } from './types';
import { delegateOf } from './delegate';

const DAY_MS = 86_400_000;

/**
 * One page of `syncPull` (docs/PROTOCOL.md): the tenant's rows whose change sequence
 * is above the cursor, in sequence order, `limit + 1` read to know `hasMore`.
 * One `findMany` on the `(scope, syncSeq)` index; live rows become `items`
 * (ignored fields never selected), soft-deleted ones `deletedIds`.
 */
export async function pullPage(core: SyncCore, auth: SyncAuth, entity: EntityRuntime, args: SyncPullArgs): Promise<SyncPullResponse> {
  const now = core.now();
  const horizonMs = core.options.tombstoneHorizonDays * DAY_MS;
  const { descriptor: d, sequence } = entity;
  let after = 0n;
  let since: Date | null = null;
  if (args.cursor) {
    const cursor = decodeCursor(args.cursor, d.name);
    if (now.getTime() - cursor.issuedAt > horizonMs) throw resync(d.name, core.options.tombstoneHorizonDays);
    after = cursor.seq;
  } else if (args.since) {
    since = new Date(args.since);
    if (Number.isNaN(since.getTime())) throw requestError('BAD_REQUEST', '`since` is not a DateTime');
    if (now.getTime() - since.getTime() > horizonMs) throw resync(d.name, core.options.tombstoneHorizonDays);
  }
  const requested = args.limit ?? d.pageSize;
  if (!Number.isInteger(requested) || requested < 1) throw requestError('BAD_REQUEST', '`limit` must be a positive integer');
  const limit = Math.min(requested, core.options.pageSizeMax);

  const where: Record<string, unknown> = { [d.scope]: auth.tenantId, [sequence.field]: { gt: after } };
  // A first pull has nothing to delete locally: tombstones are skipped.
  if (!args.cursor && !since) where[d.base.deletedAt] = null;
  if (since) where[d.base.updatedAt] = { gt: since };
  const rows = await delegateOf(core.options.prisma, d).findMany({
    where,
    orderBy: { [sequence.field]: 'asc' },
    take: limit + 1,
    select: entity.pullSelect,
  });

  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  const items: WireRecord[] = [];
  const deletedIds: string[] = [];
  const check = core.customAuthorize;
  for (const row of page) {
    if (check && !check(auth, d, 'read', row)) continue;
    if (row[d.base.deletedAt] != null) deletedIds.push(String(row.id));
    else items.push(rowToWire(entity.pulled, row));
  }
  const last = page.length > 0 ? BigInt(page[page.length - 1]![sequence.field] as bigint | number) : after;
  return {
    items,
    deletedIds,
    lastSyncAt: now.toISOString(),
    cursor: encodeCursor({ entity: d.name, seq: last, issuedAt: now.getTime() }),
    hasMore,
    versionHash: d.versionHash,
  };
}

function resync(entity: string, days: number) {
  return requestError('RESYNC_REQUIRED', `${entity}: the cursor is older than the ${days}-day tombstone horizon; pull again without a cursor`, {
    entity,
  });
}

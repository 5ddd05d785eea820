import { decodeCursor, encodeCursor } from './cursor';
import type { EntityRuntime, SyncCore } from './core';
import { requestError } from './errors';
import { rowToWire } from './wire';
import type { SyncAuth, SyncPullArgs, SyncPullResponse, WireRecord } from './types';
import { delegateOf } from './delegate';
import { rawPullPlan } from './rawPage';

const DAY_MS = 86_400_000;

/**
 * One page of `syncPull` (docs/PROTOCOL.md): the tenant's rows whose change sequence
 * is above the cursor, in sequence order, `limit + 1` read to know `hasMore`.
 * One select on the `(scope, syncSeq)` index (raw SQL when every pulled
 * field type allows it, rawPage.ts; else `findMany`); live rows become
 * `items` (ignored fields never selected), soft-deleted ones `deletedIds`.
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

  // A first pull has nothing to delete locally: tombstones are skipped.
  const liveOnly = !args.cursor && !since;
  // The raw read hands `authorize` no Prisma row: an app's own hook keeps findMany's rows.
  const raw = core.options.rawPull === false || core.customAuthorize ? null : rawPullPlan(entity, core.dialect);
  const rows = raw
    ? await raw.read(core.options.prisma, { tenantId: auth.tenantId, after, liveOnly, since, take: limit + 1 })
    : await findPage(core, auth, entity, after, liveOnly, since, limit + 1);

  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  const items: WireRecord[] = [];
  const deletedIds: string[] = [];
  const check = core.customAuthorize;
  const toWire = raw ? raw.toWire : (row: Record<string, unknown>) => rowToWire(entity.pulled, row);
  for (const row of page) {
    if (check && !check(auth, d, 'read', row)) continue;
    if (row[d.base.deletedAt] != null) deletedIds.push(String(row.id));
    else items.push(toWire(row));
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

/** The page through Prisma Client: what every field type and an app's `authorize` hook can take. */
function findPage(core: SyncCore, auth: SyncAuth, entity: EntityRuntime, after: bigint, liveOnly: boolean, since: Date | null, take: number) {
  const { descriptor: d, sequence } = entity;
  const where: Record<string, unknown> = { [d.scope]: auth.tenantId, [sequence.field]: { gt: after } };
  if (liveOnly) where[d.base.deletedAt] = null;
  if (since) where[d.base.updatedAt] = { gt: since };
  return delegateOf(core.options.prisma, d).findMany({ where, orderBy: { [sequence.field]: 'asc' }, take, select: entity.pullSelect });
}

function resync(entity: string, days: number) {
  return requestError('RESYNC_REQUIRED', `${entity}: the cursor is older than the ${days}-day tombstone horizon; pull again without a cursor`, {
    entity,
  });
}

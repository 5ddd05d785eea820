import type { Database } from '@nozbe/watermelondb';
import { applyPullPage, removeUnseen, type ApplyOutcome } from './applyPullPage';
import type { EntityMeta, SyncRegistry } from './meta';
import type { Platform } from './platform';
import { fetchQueue } from './queue';
import { readSyncState } from './syncState';
import { ResyncRequiredError, type SyncTransport } from './transport';

/**
 * Page size the engine asks for unless told otherwise. The server caps it
 * (`server.pageSize.max`, default 5000); fewer, larger pages mean fewer round
 * trips and fewer transactions (each page is one) on a slow mobile link.
 */
export const DEFAULT_PULL_LIMIT = 5000;

export interface PullOptions {
  database: Database;
  registry: SyncRegistry;
  transport: SyncTransport;
  platform: Platform;
  /** Page size asked of the server (capped there). Default `DEFAULT_PULL_LIMIT`. */
  limit?: number;
  onPage?: (progress: { entity: string; pages: number; items: number }) => void;
}

export interface PullReport extends ApplyOutcome {
  pages: number;
  /** Whether the entity was re-pulled from scratch, and why. */
  full: 'no' | 'first' | 'layout' | 'resync' | 'forced';
  /** Local records dropped after a full re-pull because the server no longer has them. */
  removed: number;
  /** Whether the pull restarted from a rewind point (see `SyncStateValue.rewind`). */
  rewound: boolean;
}

/**
 * Pull one entity page by page until `hasMore` is false, each page applied in
 * one transaction with its cursor. The entity is re-pulled from scratch when
 * it was never pulled, when its local table layout changed (a migration added
 * columns: README "Migrations"), when the server answers `RESYNC_REQUIRED`, or when forced.
 * Pending local changes survive every kind of re-pull.
 */
export async function pullEntity(options: PullOptions, meta: EntityMeta, force = false): Promise<PullReport> {
  const { database, registry, transport, platform } = options;
  const state = await readSyncState(database, meta.name);
  let full: PullReport['full'] = force ? 'forced' : state.cursor === null ? 'first' : state.versionHash !== meta.layoutHash ? 'layout' : 'no';
  let cursor = full === 'no' ? state.cursor : null;
  let seen = full === 'no' ? undefined : new Set<string>();
  let rewind = full === 'no' ? state.rewind : null;
  const report: PullReport = { created: 0, updated: 0, deleted: 0, rebased: 0, skipped: 0, pages: 0, full, removed: 0, rewound: false };
  if (rewind && (await fetchQueue(database, { entity: meta.name })).length === 0) {
    // Records left partly unapplied earlier are free now: fetch their latest server state again.
    cursor = rewind.at;
    // From the start the server sends live records only, no tombstones: compare instead.
    if (cursor === null) seen = new Set();
    rewind = null;
    report.rewound = true;
  }
  // A table empty at the start needs no existence lookups nor a comparison at the end.
  const fresh = cursor === null && (await database.get(meta.table).query().fetchCount()) === 0 ? new Set<string>() : undefined;
  let firstPage = true;
  for (;;) {
    let page;
    try {
      page = await transport.pull({ entity: meta.name, cursor, limit: options.limit ?? DEFAULT_PULL_LIMIT });
    } catch (error) {
      if (error instanceof ResyncRequiredError && seen === undefined) {
        report.full = full = 'resync';
        cursor = null;
        rewind = null;
        seen = new Set();
        continue;
      }
      throw error;
    }
    const { row } = await readSyncState(database, meta.name);
    // During a full pull the hash is cleared first and set by the last page: a crash in between restarts it.
    const versionHash = page.hasMore ? (seen && firstPage ? null : undefined) : meta.layoutHash;
    const requested = cursor;
    const outcome = await applyPullPage({
      database,
      registry,
      meta,
      page,
      state: {
        row,
        patch: (skippedPending) => {
          // The first page that leaves a pending record behind fixes the rewind point.
          if (skippedPending && !rewind) rewind = { at: requested };
          return { cursor: page.cursor, rewind, lastSyncAt: Date.parse(page.lastSyncAt), ...(versionHash !== undefined ? { versionHash } : {}) };
        },
      },
      now: platform.clock.now(),
      seen,
      fresh,
    });
    firstPage = false;
    report.pages += 1;
    report.created += outcome.created;
    report.updated += outcome.updated;
    report.deleted += outcome.deleted;
    report.rebased += outcome.rebased;
    report.skipped += outcome.skipped;
    options.onPage?.({ entity: meta.name, pages: report.pages, items: report.created + report.updated });
    cursor = page.cursor;
    if (!page.hasMore) break;
  }
  // Also after a first pull: records this device pushed may have been deleted before it ever pulled.
  if (seen && !fresh) report.removed = await removeUnseen(database, meta, seen);
  return report;
}

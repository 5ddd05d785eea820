import type { Database } from '@nozbe/watermelondb';
import { applyPullPage, type ApplyOutcome } from './applyPullPage';
import type { EntityMeta, SyncRegistry } from './meta';
import type { Platform } from './platform';
import { fetchQueue } from './queue';
import { readSyncState, type SyncStateValue } from './syncState';
import { type PullPage, ResyncRequiredError, type SyncTransport } from './transport';

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
  /** The app's local schema and the generated re-pull map; without it, a layout hash change re-pulls. */
  schema?: LocalSchemaInfo;
}

/**
 * What the generated `watermelon/` code says about the local schema:
 * `SCHEMA_VERSION` and `repullAfterMigration` (version -> entities whose
 * local data a migration to that version made incomplete).
 */
export interface LocalSchemaInfo {
  version: number;
  repullAfterMigration: Readonly<Record<number, readonly string[]>>;
}

/** Prefix of the schema version stored in `sync_state.version_hash` (a layout hash never has it). */
const VERSION_MARK = 'v:';

/**
 * Whether the entity must be re-pulled from scratch because of a local
 * migration: with the schema info, the stored schema version of the last full
 * pull against the generated map (every version after it, up to the current
 * one); without it (or for a position stored by an older release), the
 * layout hash.
 */
function migrationRepull(stored: string | null, meta: EntityMeta, schema: LocalSchemaInfo | undefined): 'layout' | 'migration' | null {
  // Cleared by the first page of a full pull that did not finish: pull again from scratch.
  if (stored === null) return 'layout';
  if (!schema || !stored.startsWith(VERSION_MARK)) return stored !== meta.layoutHash ? 'layout' : null;
  const from = Number(stored.slice(VERSION_MARK.length));
  for (let v = from + 1; v <= schema.version; v++) if (schema.repullAfterMigration[v]?.includes(meta.name)) return 'migration';
  return null;
}

export interface PullReport extends ApplyOutcome {
  pages: number;
  /** Whether the entity was re-pulled from scratch, and why. */
  full: 'no' | 'first' | 'layout' | 'migration' | 'resync' | 'forced';
  /** Local records dropped after a full re-pull because the server no longer has them. */
  removed: number;
  /** Whether the pull restarted from a rewind point (see `SyncStateValue.rewind`). */
  rewound: boolean;
}

/** Where an entity's pull starts: from its stored position, or from scratch (and why). */
interface Start {
  full: PullReport['full'];
  cursor: string | null;
  /** Ids seen so far when the pull compares against the server's live records (a full pull). */
  seen: Set<string> | undefined;
  rewind: SyncStateValue['rewind'];
  rewound: boolean;
}

async function startOf(options: PullOptions, meta: EntityMeta, force: boolean): Promise<Start> {
  const state = await readSyncState(options.database, meta.name);
  const full: PullReport['full'] = force
    ? 'forced'
    : state.cursor === null
      ? 'first'
      : (migrationRepull(state.versionHash, meta, options.schema) ?? 'no');
  const start: Start = {
    full,
    cursor: full === 'no' ? state.cursor : null,
    seen: full === 'no' ? undefined : new Set<string>(),
    rewind: full === 'no' ? state.rewind : null,
    rewound: false,
  };
  if (start.rewind && (await fetchQueue(options.database, { entity: meta.name })).length === 0) {
    // Records left partly unapplied earlier are free now: fetch their latest server state again.
    start.cursor = start.rewind.at;
    // From the start the server sends live records only, no tombstones: compare instead.
    if (start.cursor === null) start.seen = new Set();
    start.rewind = null;
    start.rewound = true;
  }
  return start;
}

/** The first page of an entity, requested before its pull started (`pullEntities`): the request and its answer. */
interface EarlyPage {
  entity: string;
  cursor: string | null;
  limit: number;
  page: Promise<PullPage>;
}

/** Ask for an entity's first page now (`limit` records at most), from where its pull will start; `null` when that cannot be read. */
function requestFirstPage(options: PullOptions, meta: EntityMeta, limit: number): Promise<EarlyPage | null> {
  return (async () => {
    const { cursor } = await startOf(options, meta, false);
    const page = options.transport.pull({ entity: meta.name, cursor, limit });
    // Dropped unawaited when the pull before it fails: not an unhandled rejection.
    page.catch(() => {});
    return { entity: meta.name, cursor, limit, page };
  })().catch(() => null);
}

/** How `pullEntities` chains one entity's pull to the next. */
interface Chain {
  /** The entity's first page if it was asked for early; used only if it answers the request the pull makes (at most `limit` records). */
  first?: Promise<EarlyPage | null> | null;
  /** Called once, when the entity's last page has arrived and before it is applied. */
  onLastPage?: () => void;
}

/** Entities whose first page `pullEntities` asks for ahead, each for a share of one page. */
export const ENTITIES_AHEAD = 4;

/**
 * Pull entities one after the other (`pullEntity`, in the given order), asking
 * for the first pages of the next `ENTITIES_AHEAD` entities while the last
 * page of the current one is applied, each for `limit / ENTITIES_AHEAD`
 * records: what is held ahead is at most one page, and the round trips of
 * small entities overlap instead of following each other. A page smaller than
 * the pull asks for is a valid answer (the server caps pages too): a large
 * entity takes it as its first page and goes on from its cursor. Those pages
 * are only read early: each is applied and committed with its cursor by its
 * own entity's pull, after the entities before it committed, and used only if
 * it answers the request that pull makes (same entity and cursor, at most its
 * page size); otherwise it is fetched again. When a pull fails, nothing of the
 * pages asked for ahead is applied.
 */
export async function pullEntities(
  options: PullOptions,
  metas: readonly EntityMeta[],
  onPulled: (meta: EntityMeta, report: PullReport) => void,
): Promise<void> {
  const share = Math.max(1, Math.floor((options.limit ?? DEFAULT_PULL_LIMIT) / ENTITIES_AHEAD));
  const early = new Map<number, Promise<EarlyPage | null>>();
  for (const [i, meta] of metas.entries()) {
    const first = early.get(i) ?? null;
    early.delete(i);
    const onLastPage = () => {
      for (let j = i + 1; j <= i + ENTITIES_AHEAD && j < metas.length; j++) {
        if (!early.has(j)) early.set(j, requestFirstPage(options, metas[j]!, share));
      }
    };
    onPulled(meta, await pullEntity(options, meta, false, { first, onLastPage }));
  }
}

/**
 * Pull one entity page by page until `hasMore` is false, each page applied in
 * one transaction with its cursor. The entity is re-pulled from scratch when
 * it was never pulled, when its local table layout changed (a migration added
 * columns: README "Migrations"), when the server answers `RESYNC_REQUIRED`, or when forced.
 * Pending local changes survive every kind of re-pull.
 */
export async function pullEntity(options: PullOptions, meta: EntityMeta, force = false, chain: Chain = {}): Promise<PullReport> {
  const { database, registry, transport, platform } = options;
  const marker = options.schema ? `${VERSION_MARK}${options.schema.version}` : meta.layoutHash;
  const start = await startOf(options, meta, force);
  let { full, cursor, seen, rewind } = start;
  const report: PullReport = { created: 0, updated: 0, deleted: 0, rebased: 0, skipped: 0, removed: 0, pages: 0, full, rewound: start.rewound };
  // A table empty at the start needs no lost-create lookups nor a comparison at the end.
  const fresh = cursor === null && (await database.get(meta.table).query().fetchCount()) === 0;
  let firstPage = true;
  const limit = options.limit ?? DEFAULT_PULL_LIMIT;
  // The next page, requested while this one is applied (README "Client sync"): a read, and the
  // request the loop makes next anyway (`cursor` becomes `page.cursor`). The cursor still commits
  // with its own page; a page fetched ahead whose predecessor never committed is fetched again.
  let ahead: Promise<PullPage> | null = null;
  const early = await chain.first;
  // A smaller page answers the request too (the server caps pages as well): the pull goes on from its cursor.
  if (early && early.entity === meta.name && early.cursor === cursor && early.limit <= limit) ahead = early.page;
  let onLastPage = chain.onLastPage;
  for (;;) {
    let page: PullPage;
    try {
      page = await (ahead ?? transport.pull({ entity: meta.name, cursor, limit }));
    } catch (error) {
      ahead = null;
      if (error instanceof ResyncRequiredError && seen === undefined) {
        report.full = full = 'resync';
        cursor = null;
        rewind = null;
        seen = new Set();
        continue;
      }
      throw error;
    }
    const next = page.cursor;
    // async: a transport that throws instead of rejecting fails the next page, not this one.
    ahead = page.hasMore ? (async () => transport.pull({ entity: meta.name, cursor: next, limit }))() : null;
    // Not awaited if this page fails to apply: its outcome is then dropped, not an unhandled rejection.
    ahead?.catch(() => {});
    if (!page.hasMore && onLastPage) {
      onLastPage();
      onLastPage = undefined;
    }
    const { row } = await readSyncState(database, meta.name);
    // During a full pull the hash is cleared first and set by the last page: a crash in between restarts it.
    const versionHash = page.hasMore ? (seen && firstPage ? null : undefined) : marker;
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
      // On a table that started empty nothing can be missing at the end: no ids to collect.
      seen: fresh ? undefined : seen,
      fresh,
      // Also after a first pull: records this device pushed may have been deleted before it ever pulled.
      endsFullPull: !page.hasMore && seen !== undefined && !fresh,
    });
    firstPage = false;
    report.pages += 1;
    report.created += outcome.created;
    report.updated += outcome.updated;
    report.deleted += outcome.deleted;
    report.rebased += outcome.rebased;
    report.skipped += outcome.skipped;
    report.removed += outcome.removed;
    options.onPage?.({ entity: meta.name, pages: report.pages, items: report.created + report.updated });
    cursor = page.cursor;
    if (!page.hasMore) break;
  }
  return report;
}

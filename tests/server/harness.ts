import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuthorizeFn, SqlDialect, SyncPullResponse, SyncResultItem } from 'trackhub-sync/runtime/server';
import { startSyncServer, type RunningServer } from '../../examples/trackhub-core/server/app';
import { openDatabase, type ExampleDatabase, type ExamplePrisma } from '../../examples/trackhub-core/server/database';

export interface GraphqlResult<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** The generated sync API served by graphql-yoga over HTTP on 127.0.0.1, on a real database. */
export interface Harness {
  url: string;
  dialect: SqlDialect;
  db: ExampleDatabase;
  /** Shift the server clock (tombstone-horizon tests). */
  clock: { offsetMs: number };
  gql<T>(query: string, variables?: Record<string, unknown>, tenant?: string | null): Promise<GraphqlResult<T>>;
  push(entity: string, items: Record<string, unknown>[], tenant?: string): Promise<SyncResultItem[]>;
  pull(entity: string, args?: { cursor?: string | null; since?: string; limit?: number }, tenant?: string): Promise<SyncPullResponse>;
  /** Pull every page from the start (or a cursor) until hasMore is false. */
  pullAll(
    entity: string,
    tenant: string,
    cursor?: string | null,
    limit?: number,
  ): Promise<{ items: Record<string, unknown>[]; deletedIds: string[]; cursor: string; pages: number }>;
  close(): Promise<void>;
}

export const MAX_BATCH = 60;
/** Hard cap on pull pages in these tests (the generated default is 5000). */
export const PAGE_SIZE_MAX = 20;

const PUSH = /* GraphQL */ `
  mutation Push($entity: String!, $items: [JSON!]!) {
    syncPush(entity: $entity, items: $items) {
      clientId id success errorCode errorMessage version updatedAt
      conflict { serverData clientData serverVersion resolutionSuggested conflictType }
    }
  }
`;
const PULL = /* GraphQL */ `
  query Pull($entity: String!, $cursor: String, $since: DateTime, $limit: Int) {
    syncPull(entity: $entity, cursor: $cursor, since: $since, limit: $limit) { items deletedIds lastSyncAt cursor hasMore versionHash }
  }
`;

/** A database for one test file: a temp SQLite file, or a fresh PostgreSQL database. */
export async function startHarness(
  target: { kind: 'sqlite' } | { kind: 'postgresql'; url: string },
  options: { wrapPrisma?: (prisma: ExamplePrisma) => ExamplePrisma; authorize?: AuthorizeFn } = {},
): Promise<Harness> {
  const dir = target.kind === 'sqlite' ? mkdtempSync(join(tmpdir(), 'trackhub-sqlite-')) : null;
  const db = await openDatabase(target.kind === 'sqlite' ? { file: join(dir!, 'sync.db') } : { url: target.url });
  const clock = { offsetMs: 0 };
  const server: RunningServer = await startSyncServer({
    prisma: options.wrapPrisma ? options.wrapPrisma(db.prisma) : db.prisma,
    dialect: db.dialect,
    maxBatch: MAX_BATCH,
    pageSizeMax: PAGE_SIZE_MAX,
    ...(options.authorize ? { authorize: options.authorize } : {}),
    now: () => new Date(Date.now() + clock.offsetMs),
  });

  const gql = async <T>(query: string, variables: Record<string, unknown> = {}, tenant: string | null = 't1'): Promise<GraphqlResult<T>> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (tenant) headers.authorization = `Bearer dev:${tenant}:user-${tenant}`;
    const response = await fetch(server.url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    return (await response.json()) as GraphqlResult<T>;
  };
  const unwrap = <T>(result: GraphqlResult<T>): T => {
    if (result.errors?.length) throw new Error(`GraphQL error: ${JSON.stringify(result.errors)}`);
    return result.data!;
  };
  const harness: Harness = {
    url: server.url,
    dialect: db.dialect,
    db,
    clock,
    gql,
    push: async (entity, items, tenant = 't1') => unwrap(await gql<{ syncPush: SyncResultItem[] }>(PUSH, { entity, items }, tenant)).syncPush,
    pull: async (entity, args = {}, tenant = 't1') => unwrap(await gql<{ syncPull: SyncPullResponse }>(PULL, { entity, ...args }, tenant)).syncPull,
    async pullAll(entity, tenant, cursor = null, limit) {
      const items: Record<string, unknown>[] = [];
      const deletedIds: string[] = [];
      let pages = 0;
      for (;;) {
        const page = await harness.pull(entity, { cursor, ...(limit ? { limit } : {}) }, tenant);
        pages++;
        items.push(...(page.items as Record<string, unknown>[]));
        deletedIds.push(...page.deletedIds);
        cursor = page.cursor;
        if (!page.hasMore) return { items, deletedIds, cursor, pages };
        if (pages > 10_000) throw new Error('pull never ended');
      }
    },
    async close() {
      await server.close();
      await db.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** A fresh tenant id, so tests sharing a database never see each other's rows. */
export const tenant = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;

let counter = 0;
/** A push item; `opId` and `clientId` fresh unless given. */
export function item(op: 'create' | 'update' | 'delete', fields: Record<string, unknown>): Record<string, unknown> {
  counter++;
  return { opId: `op-${counter}-${randomUUID()}`, op, ...(op === 'create' ? { clientId: `c-${counter}-${randomUUID()}` } : {}), ...fields };
}

/** An ISO time `ms` from now. */
export const isoIn = (ms: number) => new Date(Date.now() + ms).toISOString();

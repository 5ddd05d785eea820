import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSyncServer, type SyncAppOptions } from '../../../examples/trackhub-core/server/app';
import { openDatabase } from '../../../examples/trackhub-core/server/database';
import { GraphqlTransport, type SyncTransport, type WireRecord } from '../../../runtime/client/index';
import { registry } from '../../../examples/trackhub-core/generated/client/index';

/** The real example server (generated resolvers over Prisma on SQLite) on 127.0.0.1. */
export interface TestServer {
  url: string;
  dir: string;
  /** A transport authenticated as a user of `tenantId` (optionally through a faulty fetch). */
  transport(tenantId: string, fetchImpl?: typeof fetch): GraphqlTransport;
  /** Every live record of an entity as the server has it, by pulling from scratch. */
  records(tenantId: string, entity: string): Promise<WireRecord[]>;
  close(): Promise<void>;
}

/** Starts the server on a temp SQLite file, or on the PostgreSQL database at `databaseUrl`. */
export async function startTestServer(options: Partial<SyncAppOptions> & { databaseUrl?: string } = {}): Promise<TestServer> {
  const { databaseUrl, ...appOptions } = options;
  const dir = mkdtempSync(join(tmpdir(), 'trackhub-client-e2e-'));
  const database = await openDatabase(databaseUrl ? { url: databaseUrl } : { file: join(dir, 'server.db') });
  const server = await startSyncServer({ prisma: database.prisma, dialect: database.dialect, ...appOptions });
  const transport = (tenantId: string, fetchImpl?: typeof fetch) =>
    // The typed per-entity operations, as apps use them (GraphqlTransport's `registry`).
    new GraphqlTransport({ url: server.url, headers: () => ({ authorization: `Bearer dev:${tenantId}:tester` }), fetch: fetchImpl, registry });
  return {
    url: server.url,
    dir,
    transport,
    records: (tenantId, entity) => pullAll(transport(tenantId), entity),
    async close() {
      await server.close();
      await database.close();
      if (!process.env.CRASH_KEEP) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function pullAll(transport: SyncTransport, entity: string): Promise<WireRecord[]> {
  const out = new Map<string, WireRecord>();
  let cursor: string | null = null;
  for (;;) {
    const page = await transport.pull({ entity, cursor, limit: 5000 });
    for (const item of page.items) out.set(String(item.id), item);
    for (const id of page.deletedIds) out.delete(id);
    cursor = page.cursor;
    if (!page.hasMore) break;
  }
  return [...out.values()].sort((a, b) => String(a.id).localeCompare(String(b.id)));
}

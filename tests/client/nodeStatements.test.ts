import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listQueue } from '../../runtime/client/index';
import { deviceRecords } from './support/compare';
import { openDevice } from './support/device';
import { startTestServer, type TestServer } from './support/server';

// The push's record writes on WatermelonDB's Node driver (runtime/client/nodeStatements.ts,
// push.ts; docs/PERFORMANCE.md "Client push"): each statement text prepared once per
// connection, and no batch large enough for WatermelonDB to rebuild every index.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

let n = 0;
const newTenant = () => `ns${process.pid}x${++n}`;

describe('push statements on the Node driver', () => {
  it('prepares the queue and record writes once per connection, rebuilds no index, and observers see every change', async () => {
    const prepare = vi.spyOn(BetterSqlite3.prototype, 'prepare');
    try {
      // The device's statements only (the test server's Prisma runs better-sqlite3 in this process too).
      const texts = ['update "operation_queue" set "_status"', 'delete from "operation_queue"', 'update "spaces" set "_status"'];
      const prepared = (start: string) => prepare.mock.calls.filter(([sql]) => String(sql).startsWith(start)).length;
      const indexRebuilds = () => prepare.mock.calls.filter(([sql]) => /^(drop|create) index/.test(String(sql))).length;
      const push = async (name: string) => {
        const tenant = newTenant();
        const device = openDevice(name, { tenantId: tenant, transport: server.transport(tenant), pushConcurrency: 1 });
        // 700 creates: a batch of 500 would write 1,000 rows with its results alone.
        await device.adapters.space.createMany(Array.from({ length: 700 }, (_, i) => ({ name: `${name}${i}` })));
        const rebuildsBefore = indexRebuilds();
        let pending = -1;
        const acknowledged = new Set<string>();
        const subscriptions = [
          device.database
            .get('operation_queue')
            .query()
            .observeCount(false)
            .subscribe((count) => (pending = count)),
          device.database
            .get('spaces')
            .query()
            .observeWithColumns(['server_id'])
            .subscribe((records) => {
              for (const r of records) if ((r._raw as { server_id?: string | null }).server_id) acknowledged.add(r.id);
            }),
        ];
        const report = await device.engine.sync();
        for (const s of subscriptions) s.unsubscribe();
        expect(report.error).toBeNull();
        expect(report.push).toMatchObject({ acknowledged: 700, failed: 0 });
        expect(await listQueue(device.database)).toEqual([]);
        expect(await deviceRecords(device, 'Space')).toEqual(await server.records(tenant, 'Space'));
        // Writes still go through Models: observers saw the queue drain and every record's server id.
        expect(pending).toBe(0);
        expect(acknowledged.size).toBe(700);
        expect(indexRebuilds()).toBe(rebuildsBefore);
      };
      await push('a');
      // 700 entries marked, 700 removed, 700 records updated: one preparation of each text.
      for (const text of texts) expect(prepared(text)).toBe(1);
      // Another database (another connection) prepares its own.
      await push('b');
      for (const text of texts) expect(prepared(text)).toBe(2);
    } finally {
      prepare.mockRestore();
    }
  }, 120_000);
});

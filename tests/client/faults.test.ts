import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listQueue } from '../../runtime/client/index';
import { deviceRecords } from './support/compare';
import { openDevice, type Device } from './support/device';
import { faultyFetch, type Fault } from './support/faults';
import { startTestServer, type TestServer } from './support/server';

// Network faults between the real GraphQL transport and the real server, and
// a process killed mid-push: no change lost, none applied twice, replicas converge.

let server: TestServer;
let dir: string;
beforeAll(async () => {
  server = await startTestServer();
  dir = mkdtempSync(join(tmpdir(), 'trackhub-faults-'));
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
const newTenant = () => `f${process.pid}x${++n}`;

async function syncUntilClean(d: Device, rounds = 12) {
  for (let i = 0; i < rounds; i++) {
    const report = await d.engine.sync();
    if (report.error === null && (await listQueue(d.database)).length === 0) return;
  }
  throw new Error(`${d.name} did not settle: ${JSON.stringify(await listQueue(d.database))}`);
}

describe('faults', () => {
  const kinds: Fault[] = ['dropRequest', 'dropResponse', 'duplicate', 'delay', 'error500'];
  for (const fault of kinds) {
    it(`${fault} on push and pull: every change lands exactly once`, async () => {
      const tenant = newTenant();
      const faults = faultyFetch();
      const a = openDevice('A', { tenantId: tenant, transport: server.transport(tenant, faults.fetch) });
      const spaces = [];
      for (let i = 0; i < 5; i++) spaces.push(await a.adapters.space.create({ name: `s${i}`, viewCount: i }));
      const task = await a.adapters.task.create({ title: 'child', spaceId: spaces[0]!.id });
      // Every request of the first sync fails this way (pushes, then pulls); later syncs retry.
      faults.next = Array(8).fill(fault);
      await a.engine.sync();
      await syncUntilClean(a);
      expect((await server.records(tenant, 'Space')).every((r) => r.version === 1)).toBe(true);
      // Then updates, a delete and a new record, through the same fault.
      await a.adapters.space.update(spaces[1]!.id, { name: 'edited' });
      await a.adapters.space.delete(spaces[2]!.id);
      await a.adapters.space.create({ name: 's5' });
      faults.next = Array(8).fill(fault);
      await a.engine.sync();
      // Edited again while the first edit may sit committed-but-unacknowledged on the server.
      await a.adapters.space.update(spaces[1]!.id, { description: 'twice' });
      await syncUntilClean(a);
      expect(faults.log.length).toBeGreaterThan(0);

      const onServer = await server.records(tenant, 'Space');
      expect(onServer.map((r) => r.name).sort()).toEqual(['edited', 's0', 's3', 's4', 's5']);
      // Replays did not write twice: one version per change (create, edit, edit).
      expect(onServer.find((r) => r.name === 'edited')).toMatchObject({ description: 'twice', version: 3 });
      expect(onServer.filter((r) => r.name !== 'edited').every((r) => r.version === 1)).toBe(true);
      const tasks = await server.records(tenant, 'Task');
      expect(tasks).toHaveLength(1);
      expect(tasks[0]!.spaceId).toBe(onServer.find((r) => r.name === 's0')!.id);
      expect((await a.adapters.task.find(task.id))!.serverId).toBe(tasks[0]!.id);
      expect(await deviceRecords(a, 'Space')).toEqual(onServer);
      const b = openDevice('B', { tenantId: tenant, transport: server.transport(tenant) });
      await syncUntilClean(b);
      expect(await deviceRecords(b, 'Space')).toEqual(onServer);
    });
  }

  it('retries back off exponentially with jitter and keep the last error', async () => {
    const tenant = newTenant();
    const faults = faultyFetch({ only: 'syncPush' });
    const clock = { t: 1_000_000 };
    const a = openDevice('A', {
      tenantId: tenant,
      transport: server.transport(tenant, faults.fetch),
      platform: { clock: { now: () => clock.t }, random: () => 0.5 },
    });
    await a.adapters.space.create({ name: 'x' });
    faults.next = ['error500', 'error500'];
    await a.engine.sync('interval');
    let [entry] = await listQueue(a.database);
    expect(entry).toMatchObject({ attempts: 1, status: 'pending', lastError: expect.stringContaining('HTTP 500') });
    const first = entry!.nextAttemptAt! - clock.t;
    await a.engine.sync('interval'); // not due yet: nothing sent
    expect((await listQueue(a.database))[0]!.attempts).toBe(1);
    clock.t += first;
    await a.engine.sync('interval');
    [entry] = await listQueue(a.database);
    expect(entry!.attempts).toBe(2);
    expect(entry!.nextAttemptAt! - clock.t).toBeGreaterThan(first);
    await a.engine.sync('manual'); // "sync now" does not wait for the backoff
    expect(await listQueue(a.database)).toEqual([]);
  });

  it('validation errors are parked with their reason, not retried', async () => {
    const tenant = newTenant();
    const a = openDevice('A', { tenantId: tenant, transport: server.transport(tenant) });
    // A payload the server's validator refuses (a string where an Int belongs), as an older app version might queue.
    const bad = await a.adapters.space.create({ name: 'ok' });
    await a.database.write(async () => {
      const [entry] = await a.database.get('operation_queue').query().fetch();
      await a.database.batch(entry!.prepareUpdate((e) => e._setRaw('payload', JSON.stringify({ name: 'ok', viewCount: 'many' }))));
    });
    await a.engine.sync();
    await a.engine.sync();
    const [entry] = await listQueue(a.database);
    expect(entry).toMatchObject({ status: 'failed', attempts: 1, entityId: bad.id, lastError: expect.stringMatching(/^VALIDATION/) });
  });

  it('a process killed mid-push: a new engine on the same database file finishes without duplicates', async () => {
    const tenant = newTenant();
    const file = join(dir, `trackhub_db_${tenant}`);
    let pushes = 0;
    let committed!: () => void;
    const secondCommitted = new Promise<void>((resolve) => {
      committed = resolve;
    });
    // The second push request reaches the server (which commits it) and never answers: the process dies there.
    const dying: typeof fetch = async (input, init) => {
      if (typeof init?.body === 'string' && init.body.includes('syncPush') && ++pushes === 2) {
        await fetch(input, init);
        committed();
        return new Promise<Response>(() => {});
      }
      return fetch(input, init);
    };
    const first = openDevice('A', {
      tenantId: tenant,
      transport: server.transport(tenant, dying),
      dbName: file,
      pushConcurrency: 1,
      pushBatchSize: 100,
    });
    await first.adapters.space.createMany(Array.from({ length: 250 }, (_, i) => ({ name: `n${i}` })));
    void first.engine.sync(); // abandoned
    await secondCommitted; // the server answered it: committed
    expect((await server.records(tenant, 'Space')).length).toBe(200);

    const restarted = openDevice('A2', { tenantId: tenant, transport: server.transport(tenant), dbName: file });
    expect((await listQueue(restarted.database)).length).toBe(150); // the first batch was acknowledged before the crash
    await syncUntilClean(restarted);
    const onServer = await server.records(tenant, 'Space');
    expect(onServer).toHaveLength(250);
    expect(new Set(onServer.map((r) => r.clientId)).size).toBe(250);
    expect(await deviceRecords(restarted, 'Space')).toEqual(onServer);
  });
});

describe('BATCH_TOO_LARGE', () => {
  it('a server that takes smaller batches gets them split to its limit, and every item lands once', async () => {
    const small = await startTestServer({ maxBatch: 10 });
    try {
      const tenant = newTenant();
      const sizes: number[] = [];
      const counting: typeof fetch = async (input, init) => {
        if (typeof init?.body === 'string' && init.body.includes('syncPush')) sizes.push(JSON.parse(init.body).variables.items.length);
        return fetch(input, init);
      };
      const a = openDevice('A', { tenantId: tenant, transport: small.transport(tenant, counting), pushConcurrency: 1 });
      await a.adapters.space.createMany(Array.from({ length: 45 }, (_, i) => ({ name: `b${i}` })));
      const report = await a.engine.sync();
      expect(report.error).toBeNull();
      expect(report.push).toMatchObject({ acknowledged: 45, failed: 0 });
      expect(await small.records(tenant, 'Space')).toHaveLength(45);
      // One refused request, then parts of the limit the server named (README "Client sync").
      expect(sizes).toEqual([45, 10, 10, 10, 10, 5]);
    } finally {
      await small.close();
    }
  });
});

describe('RESYNC_REQUIRED', () => {
  it('a cursor older than the tombstone horizon re-pulls the entity from scratch, keeping pending changes', async () => {
    let now = Date.parse('2025-01-01T00:00:00.000Z');
    const timed = await startTestServer({ now: () => new Date(now), tombstoneHorizonDays: 1 });
    try {
      const tenant = newTenant();
      const a = openDevice('A', { tenantId: tenant, transport: timed.transport(tenant) });
      const b = openDevice('B', { tenantId: tenant, transport: timed.transport(tenant) });
      const [keep, drop] = await a.adapters.space.createMany([{ name: 'keep' }, { name: 'drop' }]);
      await syncUntilClean(a);
      await syncUntilClean(b);
      await a.adapters.space.delete(drop!.id);
      await syncUntilClean(a);
      now += 3 * 24 * 3600_000; // B was away longer than the horizon
      await b.adapters.space.update(keep!.serverId!, { name: 'edited while away' });
      const report = await b.engine.sync();
      expect(report.error).toBeNull();
      expect(report.pull.Space).toMatchObject({ full: 'resync', removed: 1 });
      expect(await deviceRecords(b, 'Space')).toEqual(await timed.records(tenant, 'Space'));
      expect((await timed.records(tenant, 'Space')).map((r) => r.name)).toEqual(['edited while away']);
    } finally {
      await timed.close();
    }
  });
});

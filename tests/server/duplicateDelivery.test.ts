import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { GraphqlTransport, listQueue } from '../../runtime/client/index';
import { deviceRecords } from '../client/support/compare';
import { openDevice, type Device } from '../client/support/device';
import { startTestServer, type TestServer } from '../client/support/server';
import { startPostgres, type PostgresServer } from '../support/postgres';

/**
 * Duplicate delivery (issue #10, server side): the real client engine
 * (runtime/client over GraphqlTransport, WatermelonDB on SQLite) talks to the
 * real server through an HTTP proxy that loses some push responses (the
 * server committed, the client retries) and, after the clients have moved
 * on, delivers every push request it ever carried once more, in a shuffled
 * order. The end state must be what the users intended: every counter
 * increment and create applied exactly once, devices equal to the server.
 */

interface Captured {
  body: string;
  headers: Record<string, string>;
}

/** A proxy in front of `target` that can lose responses and re-send captured pushes late. */
async function startProxy(target: string) {
  const captured: Captured[] = [];
  let pushes = 0;
  const stats = { forwarded: 0, lostResponses: 0, lateCopies: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = pick(req.headers);
      const isPush = body.includes('syncPush');
      if (isPush) captured.push({ body, headers });
      const response = await fetch(target, { method: 'POST', headers, body });
      const text = await response.text();
      stats.forwarded++;
      // Every third push: the server committed, but the answer never reaches the device.
      if (isPush && ++pushes % 3 === 0) {
        stats.lostResponses++;
        res.writeHead(502).end('bad gateway');
        return;
      }
      res.writeHead(response.status, { 'content-type': response.headers.get('content-type') ?? 'application/json' }).end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return {
    url,
    stats,
    /** Send every push the proxy ever carried again, shuffled (seeded), straight to the server. */
    async replayLate(seed: number) {
      const copies = [...captured];
      let s = seed;
      for (let i = copies.length - 1; i > 0; i--) {
        s = (s * 1103515245 + 12345) % 2 ** 31;
        const j = s % (i + 1);
        [copies[i], copies[j]] = [copies[j]!, copies[i]!];
      }
      for (const copy of copies) {
        const response = await fetch(target, { method: 'POST', headers: copy.headers, body: copy.body });
        const result = (await response.json()) as { errors?: unknown };
        expect(result.errors).toBeUndefined();
        stats.lateCopies++;
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function pick(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['content-type', 'authorization', 'accept']) if (typeof headers[key] === 'string') out[key] = headers[key] as string;
  return out;
}

/** Sync until nothing is pending (lost responses make a sync fail; the engine retries what may have landed). */
async function settle(device: Device) {
  for (let attempt = 0; attempt < 30; attempt++) {
    const report = await device.engine.sync();
    const pending = (await listQueue(device.database)).filter((e) => e.status === 'pending');
    if (report.error === null && pending.length === 0) return;
  }
  throw new Error(`${device.name} never settled`);
}

function defineDuplicateDelivery(name: string, databaseUrl: () => Promise<string | undefined>) {
  it(`on ${name}: late copies of every push after the clients moved on apply nothing twice`, async () => {
    const server: TestServer = await startTestServer({ databaseUrl: await databaseUrl() });
    const proxy = await startProxy(server.url);
    const tenant = `dup-${name}-${process.pid}`;
    const transport = () => new GraphqlTransport({ url: proxy.url, headers: () => ({ authorization: `Bearer dev:${tenant}:tester` }) });
    const a = openDevice('A', { tenantId: tenant, transport: transport() });
    const b = openDevice('B', { tenantId: tenant, transport: transport() });
    try {
      const group = await a.adapters.group.create({ name: 'g', score: 0, owner: 'ann' });
      await settle(a);
      await settle(b);
      const ROUNDS = 4;
      let intended = 0;
      let spaces = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const onA = (await a.adapters.group.find(group.id))!;
        await a.adapters.group.update(group.id, { score: (onA.score as number) + 1 });
        await a.adapters.space.create({ name: `space ${round}` });
        const onB = (await b.adapters.group.find(group.serverId!))!;
        await b.adapters.group.update(group.serverId!, { score: (onB.score as number) + 2 });
        intended += 3;
        spaces++;
        await settle(a);
        await settle(b);
      }
      // A manual field both changed: B's update (+5) is refused with a field conflict, B keeps its version.
      await a.adapters.group.update(group.id, { owner: 'alice' });
      const onB = (await b.adapters.group.find(group.serverId!))!;
      await b.adapters.group.update(group.serverId!, { owner: 'bob', score: (onB.score as number) + 5 });
      intended += 5;
      await settle(a);
      await settle(b);
      const [conflict] = await b.engine.listConflicts();
      expect(conflict).toMatchObject({ entity: 'Group', conflictType: 'FIELD_CONFLICT' });
      await b.engine.resolveConflict(conflict!.id, { kind: 'keepLocal' });
      await settle(b);
      await settle(a);

      // The clients have moved on; now every push request arrives once more.
      await proxy.replayLate(7);
      await settle(a);
      await settle(b);

      const [onServer] = await server.records(tenant, 'Group');
      expect(onServer).toMatchObject({ score: intended, owner: 'bob' });
      expect(await server.records(tenant, 'Space')).toHaveLength(spaces);
      for (const d of [a, b]) {
        expect(await deviceRecords(d, 'Group'), d.name).toEqual([onServer]);
        expect(await deviceRecords(d, 'Space'), d.name).toEqual(await server.records(tenant, 'Space'));
      }
      expect(proxy.stats.lostResponses).toBeGreaterThan(2);
      expect(proxy.stats.lateCopies).toBeGreaterThan(10);
      console.log(`duplicate delivery on ${name}: ${JSON.stringify(proxy.stats)}, score ${intended} as intended`);
    } finally {
      await proxy.close();
      await server.close();
    }
  }, 120_000);
}

describe('duplicate delivery through a re-sending proxy (real client engine, real server)', () => {
  let pg: PostgresServer | undefined;
  afterAll(() => pg?.stop());
  defineDuplicateDelivery('SQLite', async () => undefined);
  defineDuplicateDelivery('PostgreSQL', async () => {
    pg ??= await startPostgres();
    return pg.createDatabase(`dup_${process.pid}`);
  });
});

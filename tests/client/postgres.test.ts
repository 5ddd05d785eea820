import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../support/postgres';
import { deviceRecords } from './support/compare';
import { runConvergence } from './support/convergence';
import { openDevice } from './support/device';
import { startTestServer, type TestServer } from './support/server';

// The client engine against the example server on a real PostgreSQL server
// (@prisma/adapter-pg): exact Decimals, and a randomized convergence run.

let postgres: PostgresServer | undefined;
let server: TestServer;
beforeAll(async () => {
  postgres = await startPostgres();
  server = await startTestServer({ databaseUrl: await postgres.createDatabase(`client_${process.pid}`) });
});
afterAll(async () => {
  await server?.close();
  postgres?.stop();
});

describe('client against the server on PostgreSQL', () => {
  it('round-trips values exactly, including a Decimal beyond double precision', async () => {
    const tenant = `pg${process.pid}`;
    const a = openDevice('A', { tenantId: tenant, transport: server.transport(tenant) });
    const values = {
      title: 'exact',
      estimate: '12345678901234567890.123456789',
      bigCount: '-9223372036854775808',
      dueAt: new Date('2025-01-02T03:04:05.006Z'),
    };
    await a.adapters.task.create(values);
    expect((await a.engine.sync()).error).toBeNull();
    const b = openDevice('B', { tenantId: tenant, transport: server.transport(tenant) });
    expect((await b.engine.sync()).error).toBeNull();
    expect((await b.adapters.task.query().fetch())[0]).toMatchObject(values);
    expect(await deviceRecords(b, 'Task')).toEqual(await server.records(tenant, 'Task'));
  });

  it('converges under random edits, offline periods and faults (seed 4242)', () => runConvergence(server, 4242, 80, 3), 120_000);
});

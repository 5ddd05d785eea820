import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listQueue } from '../../runtime/client/index';
import { migrations, modelClasses, schema } from '../../examples/trackhub-core/generated/watermelon/index';
import { openDatabase } from '../support/watermelon';
import { deviceRecords } from './support/compare';
import { openDevice } from './support/device';
import { startTestServer, type TestServer } from './support/server';

// The same engine on WatermelonDB's LokiJS adapter (the web), syncing with a
// device on the SQLite adapter through the real server.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe('LokiJS adapter (web)', () => {
  it('writes, pushes, pulls, converges with an SQLite device, and surfaces a conflict', async () => {
    const tenant = `loki${process.pid}`;
    const web = openDevice('web', {
      tenantId: tenant,
      transport: server.transport(tenant),
      database: openDatabase('loki', { schema, migrations, modelClasses }, 'web'),
    });
    const phone = openDevice('phone', { tenantId: tenant, transport: server.transport(tenant) });
    const space = await web.adapters.space.create({ name: 'from the web', settings: { a: 1 } });
    const task = await web.adapters.task.create({ title: 'web task', spaceId: space.id, dueAt: new Date('2025-03-04T05:06:07.089Z') });
    await web.adapters.space.update(space.id, { description: 'folded' });
    expect(await listQueue(web.database)).toHaveLength(2);
    expect((await web.engine.sync()).error).toBeNull();
    expect((await phone.engine.sync()).error).toBeNull();
    await phone.adapters.task.update(task.serverId!, { done: true });
    await web.adapters.task.update(task.id, { title: 'edited on the web' });
    await phone.engine.sync();
    await web.engine.sync();
    const [conflict] = await web.engine.listConflicts();
    expect(conflict).toMatchObject({ entity: 'Task', conflictType: 'VERSION_MISMATCH' });
    await web.engine.resolveConflict(conflict!.id, { kind: 'merge', data: { title: 'edited on the web', done: true } });
    await web.engine.sync();
    await phone.engine.sync();
    for (const entity of ['Space', 'Task']) {
      const onServer = await server.records(tenant, entity);
      expect(await deviceRecords(web, entity)).toEqual(onServer);
      expect(await deviceRecords(phone, entity)).toEqual(onServer);
    }
    expect((await server.records(tenant, 'Task'))[0]).toMatchObject({ title: 'edited on the web', done: true, dueAt: '2025-03-04T05:06:07.089Z' });
  });
});

import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TenantSwitcher, UnsyncedWorkError, listQueue, tenantDatabaseName, type SyncTransport } from '../../runtime/client/index';
import { sqliteDatabaseFactory } from '../../runtime/client/sqlite/index';
import { createAdapters, registry } from '../../examples/trackhub-core/generated/client/index';
import { migrations, modelClasses, schema } from '../../examples/trackhub-core/generated/watermelon/index';
import { openDevice } from './support/device';

// Per-tenant databases, the switcher, wiping a space and dropping a tenant,
// each destructive operation exporting first (README "Migrations", §6). Real SQLite files.

const dir = mkdtempSync(join(tmpdir(), 'trackhub-tenants-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const offline: SyncTransport = { pull: () => Promise.reject(new Error('offline')), push: () => Promise.reject(new Error('offline')) };

describe('tenant databases', () => {
  it('names databases trackhub_db_{tenantId} and refuses ids that are not file-name safe', () => {
    expect(tenantDatabaseName('acme-1')).toBe('trackhub_db_acme-1');
    expect(() => tenantDatabaseName('../x')).toThrow(/tenant id/);
  });

  it('the switcher keeps one database file per tenant; drop exports the queue, then erases', async () => {
    const switcher = new TenantSwitcher(sqliteDatabaseFactory({ schema, migrations, modelClasses, directory: dir }));
    expect(() => switcher.current).toThrow(/switchTo/);
    const acme = switcher.switchTo('acme');
    await createAdapters({ database: acme, scopeValue: 'acme' }).space.create({ name: 'acme space' });
    const globex = switcher.switchTo('globex');
    expect(switcher.current).toBe(globex);
    expect(await globex.get('spaces').query().fetchCount()).toBe(0);
    expect(switcher.switchTo('acme')).toBe(acme);
    expect(
      readdirSync(dir)
        .filter((f) => f.endsWith('.db'))
        .sort(),
    ).toEqual(['trackhub_db_acme.db', 'trackhub_db_globex.db']);

    // Logout cannot lose work: a drop with a pending change is refused until it is exported (or forced).
    const refused = await switcher.drop('acme', registry).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UnsyncedWorkError);
    expect((refused as UnsyncedWorkError).message).toMatch(/1 pending/);
    expect(await acme.get('spaces').query().fetchCount()).toBe(1);
    const exported = await switcher.drop('acme', registry, { exported: (refused as UnsyncedWorkError).exported });
    expect(exported.queue).toHaveLength(1);
    expect(exported.queue[0]).toMatchObject({ entity: 'Space', operation: 'insert', payload: expect.objectContaining({ name: 'acme space' }) });
    expect(switcher.tenantId).toBeNull();
    const reopened = switcher.switchTo('acme');
    expect(await reopened.get('spaces').query().fetchCount()).toBe(0);
  });
});

describe('wipe a space', () => {
  it('removes the space, its records, their queue entries, and returns the export taken first', async () => {
    const d = openDevice('A', { tenantId: 't', transport: offline });
    const keep = await d.adapters.space.create({ name: 'keep' });
    const wipe = await d.adapters.space.create({ name: 'wipe' });
    await d.adapters.task.create({ title: 'in wiped', spaceId: wipe.id });
    await d.adapters.task.create({ title: 'in kept', spaceId: keep.id });
    await d.adapters.group.create({ name: 'g', spaceId: wipe.id });
    const exported = await d.engine.wipeSpace(wipe.id);
    expect(exported.queue).toHaveLength(5);
    expect((await d.adapters.space.query().fetch()).map((s) => s.name)).toEqual(['keep']);
    expect((await d.adapters.task.query().fetch()).map((t) => t.title)).toEqual(['in kept']);
    expect(await d.adapters.group.query().fetchCount()).toBe(0);
    expect((await listQueue(d.database)).map((e) => e.entityId).sort()).toEqual([keep.id, (await d.adapters.task.query().fetch())[0]!.id].sort());
    expect(d.engine.status.value.pending).toBe(2);
  });
});

/**
 * `npm run example`: the bundled example end to end. (The npm script first
 * regenerates `generated/` with `trackhub-sync generate`.)
 *
 * Starts the example sync server on an embedded SQLite file, then plays a
 * scripted session of two devices of one tenant — a phone and a tablet, each
 * with its own WatermelonDB database on the SQLite adapter — through offline
 * edits, reconnection, a conflict and its resolution, printing what happens.
 * Exits 0 when both devices and the server agree, 1 otherwise.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logger } from '@nozbe/watermelondb/utils/common';
import { GraphqlTransport, ManualNetwork, SyncEngine, TenantSwitcher, rawToWire, type SyncReport } from 'trackhub-sync/runtime/client';
import { sqliteDatabaseFactory } from 'trackhub-sync/runtime/client/sqlite';
import { createAdapters, registry, type SyncAdapters } from './generated/client';
import { migrations, modelClasses, schema } from './generated/watermelon';
import { startSyncServer } from './server/app';
import { openDatabase } from './server/database';

logger.silence();
const TENANT = 'acme';
const work = mkdtempSync(join(tmpdir(), 'trackhub-example-'));
const say = (text: string) => console.log(text);
const step = (text: string) => console.log(`\n▸ ${text}`);

const serverDb = await openDatabase({ file: join(work, 'server.db') });
const server = await startSyncServer({ prisma: serverDb.prisma, dialect: serverDb.dialect });
say(`sync server (generated resolvers over Prisma, SQLite ${join(work, 'server.db')}) on ${server.url}`);

interface Device {
  name: string;
  network: ManualNetwork;
  engine: SyncEngine;
  adapters: SyncAdapters;
  databaseName: string;
}

function device(name: string, user: string): Device {
  const switcher = new TenantSwitcher(sqliteDatabaseFactory({ schema, migrations, modelClasses, directory: mkdtempSync(join(work, `${name}-`)) }));
  const database = switcher.switchTo(TENANT);
  const network = new ManualNetwork(true);
  const transport = new GraphqlTransport({ url: server.url, registry, headers: () => ({ authorization: `Bearer dev:${TENANT}:${user}` }) });
  const engine = new SyncEngine({ database, registry, transport, platform: { network }, intervalMs: 0 });
  return { name, network, engine, adapters: createAdapters({ database, scopeValue: TENANT }), databaseName: `trackhub_db_${TENANT}` };
}

function summary(d: Device, report: SyncReport): string {
  if (report.error) return `${d.name}: sync skipped (${report.error}); ${d.engine.status.value.pending} change(s) queued`;
  const pulled = Object.entries(report.pull)
    .map(([entity, r]) => (r.created + r.updated + r.deleted > 0 ? `${entity} +${r.created} ~${r.updated} -${r.deleted}` : null))
    .filter(Boolean)
    .join(', ');
  const p = report.push!;
  return `${d.name}: pushed ${p.acknowledged} acknowledged, ${p.conflicts} conflict(s); pulled ${pulled || 'nothing new'}; status ${d.engine.status.value.state}, ${d.engine.status.value.pending} pending, ${d.engine.status.value.conflicts} open conflict(s)`;
}

async function sync(d: Device) {
  const report = await d.engine.sync();
  say(`  ${summary(d, report)}`);
  return report;
}

const phone = device('phone', 'ana');
const tablet = device('tablet', 'ben');
say(`two devices of tenant '${TENANT}', each with its own WatermelonDB database '${phone.databaseName}'`);

step('The phone creates a space with a task and a comment, then syncs');
const space = await phone.adapters.space.create({ name: 'Launch', settings: { color: 'teal' } });
const task = await phone.adapters.task.create({ title: 'Write the press release', spaceId: space.id, priority: 'HIGH', estimate: '2.5' });
await phone.adapters.comment.create({ body: 'Draft by Friday', taskId: task.id });
await sync(phone);
say(`  the task's server id: ${(await phone.adapters.task.find(task.id))!.serverId}`);

step('The tablet syncs and sees them');
await sync(tablet);
const taskOnTablet = (await tablet.adapters.task.query().fetch())[0]!;
say(`  tablet has: "${taskOnTablet.title}" in "${(await taskOnTablet.space.fetch())!.name}"`);

step('Both go offline and edit');
phone.network.set(false);
tablet.network.set(false);
await phone.adapters.task.update(task.id, { title: 'Write and send the press release' });
await phone.adapters.task.create({ title: 'Book the venue', spaceId: space.id });
await tablet.adapters.task.update(taskOnTablet.id, { title: 'Press release v2', done: true });
await tablet.adapters.space.update(taskOnTablet.spaceId!, { description: 'Q3 launch' });
say('  phone: renamed the task, added "Book the venue"; tablet: renamed the same task, marked it done, described the space');
await sync(phone);

step('They reconnect: the phone first, then the tablet');
phone.network.set(true);
tablet.network.set(true);
await sync(phone);
await sync(tablet);
const [conflict] = await tablet.engine.listConflicts();
if (!conflict) throw new Error('expected a conflict on the task (manual strategy)');
say(`  conflict on Task (${conflict.conflictType}): tablet has "${conflict.localData.title}", server has "${conflict.serverData?.title}"`);

step('The tablet resolves it: the phone’s title, the tablet’s "done"');
await tablet.engine.resolveConflict(conflict.id, { kind: 'merge', data: { title: conflict.serverData!.title, done: true } });
await sync(tablet);
await sync(phone);

step('Do both devices and the server agree?');
let agree = true;
const transport = new GraphqlTransport({ url: server.url, headers: () => ({ authorization: `Bearer dev:${TENANT}:auditor` }) });
for (const meta of registry.entities) {
  const onServer = new Map<string, Record<string, unknown>>();
  let cursor: string | null = null;
  for (;;) {
    const page = await transport.pull({ entity: meta.name, cursor });
    for (const item of page.items) onServer.set(String(item.id), item);
    cursor = page.cursor;
    if (!page.hasMore) break;
  }
  const comparable = (r: Record<string, unknown>) => JSON.stringify(meta.fields.map((f) => r[f.name] ?? null));
  for (const d of [phone, tablet]) {
    const rows = await d.adapters[lowerFirst(meta.name) as keyof SyncAdapters].query().fetch();
    // Foreign keys hold local ids on the device: translate them to server ids to compare.
    const serverIdOf = new Map<string, string>();
    for (const rel of meta.belongsTo) {
      const parents = await d.adapters[lowerFirst(rel.target) as keyof SyncAdapters].collection.query().fetch();
      for (const p of parents) serverIdOf.set(p.id, (p as unknown as { serverId: string }).serverId);
    }
    const same =
      rows.length === onServer.size &&
      rows.every((row) => {
        const wire = rawToWire(meta, row._raw as never);
        for (const rel of meta.belongsTo)
          if (typeof wire[rel.field] === 'string') wire[rel.field] = serverIdOf.get(wire[rel.field] as string) ?? wire[rel.field];
        const remote = onServer.get(String(wire.id));
        return remote !== undefined && comparable(wire) === comparable(remote);
      });
    agree &&= same;
    say(`  ${meta.name.padEnd(8)} ${d.name.padEnd(6)} ${rows.length} record(s) ${same ? '= server' : '≠ server'}`);
  }
}
const finalTask = (await phone.adapters.task.find(task.id))!;
say(`  the task everywhere: "${finalTask.title}", done=${finalTask.done}, version ${finalTask.version}`);

await server.close();
await serverDb.close();
rmSync(work, { recursive: true, force: true });
say(agree ? '\n✓ both devices and the server agree' : '\n✗ the replicas disagree');
process.exit(agree ? 0 : 1);

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

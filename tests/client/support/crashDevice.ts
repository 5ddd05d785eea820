/**
 * One life of a device in its own process, for the crash tests
 * (tests/client/crash.test.ts, bench/soakCrash.ts): WatermelonDB's SQLite
 * adapter on a database FILE, the real engine and GraphqlTransport against a
 * real server over HTTP. The process kills itself with a real SIGKILL at a
 * chosen hook (the N-th hook passed, or the first hook of a name), so the
 * parent can restart it on the same file.
 *
 * Run: node --import tsx crashDevice.ts '<LifeConfig JSON>'. Protocol on
 * stdout, one line each: `KILL <hook> <n>` just before dying, `DONE <json>` at
 * a normal end. Every user write is appended to the journal file after it
 * committed (kills only happen inside sync work, never between a write and
 * its journal line), so the journal lists exactly the writes the user made.
 */
import { appendFileSync, writeSync } from 'node:fs';
import { uuidv7 } from 'uuidv7';
import type { Model } from '@nozbe/watermelondb';
import { GraphqlTransport, listQueue, type PullPage, type PushResult, type SyncTransport } from '../../../runtime/client/index';
import { openDevice, type Device } from './device';
import { seededRandom } from './faults';
import { settleConflicts } from './settle';

/** Hook names, in the order a sync passes them. */
export type CrashHook =
  | 'push:before'
  | 'push:answered'
  | 'pull:before'
  | 'pull:answered'
  | 'commit'
  | 'resolve:before'
  | 'resolve:after'
  | 'force:before'
  | 'force:after';

/** A scripted user action (the regression cases); random lives draw theirs from the seed. */
export type ScriptStep =
  | { do: 'create'; entity: 'Task' | 'Space'; values: Record<string, unknown> }
  | { do: 'update'; entity: 'Task' | 'Space'; where: Record<string, unknown>; values: Record<string, unknown> }
  | { do: 'delete'; entity: 'Task' | 'Space'; where: Record<string, unknown> }
  | { do: 'sync' };

export interface LifeConfig {
  url: string;
  tenant: string;
  dbFile: string;
  journal: string;
  /** Device name in the journal. */
  device: string;
  /** RNG seed of this life's random actions. */
  seed: number;
  /**
   * Die at the first hook with this name, or at the n-th hook passed (counted
   * within `phase` when given: sync, conflict resolution or force sync), else
   * live to the end.
   */
  killAt: { hook?: CrashHook; n?: number; phase?: Phase } | null;
  /** Random actions to run (ignored with `script`, or in `final`). */
  steps: number;
  script?: ScriptStep[];
}

/** One user write, as the journal stores it (`clientId`: the creator's local id, the server's `clientId`). */
export type JournalEntry =
  | { kind: 'create'; device: string; entity: string; clientId: string; values: Record<string, unknown> }
  | { kind: 'update'; device: string; entity: string; clientId: string; values: Record<string, unknown> }
  | { kind: 'delete'; device: string; entity: string; clientId: string }
  | { kind: 'bump'; device: string; clientId: string; delta: number; token: string; owner?: string };

/** The engine work a hook is passed in. */
export type Phase = 'sync' | 'resolve' | 'force';

const config = JSON.parse(process.argv[2]!) as LifeConfig;
let hooks = 0;
let phaseHooks = 0;
let phase: Phase | null = null;

/** Passes a hook: dies here (a real SIGKILL) when the schedule says so. */
/** CRASH_TRACE=<file>: every hook passed, and the queue before each random step, appended there (to diagnose a seed). */
const TRACE = process.env.CRASH_TRACE;

async function traceQueue(): Promise<void> {
  if (!TRACE) return;
  const entries = (await listQueue(device.database)).map(
    (e) => `  ${e.id} ${e.entity} ${e.operation} ${e.entityId} ${e.status}/${e.attempts} ${JSON.stringify(e.payload)}`,
  );
  appendFileSync(TRACE, `[${config.seed}] step; queue:\n${entries.join('\n')}\n`);
}

function hook(name: CrashHook): void {
  if (TRACE) appendFileSync(TRACE, `[${config.seed}] hook ${name} (${phase ?? 'outside sync work'})\n`);
  const kill = config.killAt;
  if (!phase || !kill) return;
  hooks += 1;
  if (phase === kill.phase) phaseHooks += 1;
  const due = kill.hook ? kill.hook === name : kill.phase ? phase === kill.phase && phaseHooks === kill.n : hooks === kill.n;
  if (due) {
    writeSync(1, `KILL ${name} ${phase}\n`);
    process.kill(process.pid, 'SIGKILL');
  }
}

/** Hooks armed only while `work` runs (sync, conflict resolution, force sync). */
async function inSync<T>(work: () => Promise<T>, during: Phase = 'sync'): Promise<T> {
  phase = during;
  try {
    return await work();
  } finally {
    phase = null;
  }
}

function killable(inner: SyncTransport): SyncTransport {
  return {
    async push(request): Promise<PushResult[]> {
      hook('push:before');
      const results = await inner.push(request);
      hook('push:answered');
      return results;
    },
    async pull(request): Promise<PullPage> {
      hook('pull:before');
      const page = await inner.pull(request);
      hook('pull:answered');
      return page;
    },
  };
}

const transport = killable(
  new GraphqlTransport({ url: config.url, headers: () => ({ authorization: `Bearer dev:${config.tenant}:${config.device}` }) }),
);
/** Another user of the tenant, writing straight to the server (never killed). */
const otherUser = new GraphqlTransport({ url: config.url, headers: () => ({ authorization: `Bearer dev:${config.tenant}:other` }) });
// Batches of 3: a life's few writes make several batches of one entity, so kills also land between a
// batch's answer and the transaction that applies it together with marking the next batch `sending`.
const device: Device = openDevice(config.device, { tenantId: config.tenant, transport, dbName: config.dbFile, pushConcurrency: 1, pushBatchSize: 3 });
// Every committed local transaction of the engine is a kill point too.
const batch = device.database.batch.bind(device.database);
device.database.batch = (async (...records: Parameters<typeof batch>) => {
  await batch(...records);
  hook('commit');
}) as typeof batch;

const journal = (entry: JournalEntry) => appendFileSync(config.journal, `${JSON.stringify(entry)}\n`);
const random = seededRandom(config.seed);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const raw = (m: Model) => m._raw as unknown as Record<string, unknown>;
const clientIdOf = (m: Model) => String(raw(m).client_id ?? m.id);
const adapterOf = (entity: 'Task' | 'Space' | 'Group') =>
  entity === 'Task' ? device.adapters.task : entity === 'Space' ? device.adapters.space : device.adapters.group;
let counter = 0;
const unique = (prefix: string) => `${prefix}-${config.device}-${config.seed}-${++counter}`;

async function sync(): Promise<void> {
  await inSync(() => device.engine.sync('manual'));
}

async function resolveAll(): Promise<void> {
  await settleConflicts(device, (work) =>
    inSync(async () => {
      hook('resolve:before');
      await work();
      hook('resolve:after');
    }, 'resolve'),
  );
}

/** Own records: created on this device (the local id is the server's clientId). */
async function own(entity: 'Task' | 'Space'): Promise<Model[]> {
  return (await adapterOf(entity).query().fetch()).filter((m) => clientIdOf(m) === m.id) as Model[];
}

async function randomStep(): Promise<void> {
  await traceQueue();
  const roll = random();
  if (roll < 0.16) return sync();
  if (roll < 0.38) {
    const kind = random();
    if (kind < 0.4) {
      const values = { title: unique('t') };
      const task = (await device.adapters.task.create(values)) as unknown as Model;
      journal({ kind: 'create', device: config.device, entity: 'Task', clientId: task.id, values });
    } else if (kind < 0.75) {
      const values = { name: unique('s') };
      const space = (await device.adapters.space.create(values)) as unknown as Model;
      journal({ kind: 'create', device: config.device, entity: 'Space', clientId: space.id, values });
    } else {
      const values = { name: unique('g'), score: 0, labels: [], history: [] };
      const group = (await device.adapters.group.create(values)) as unknown as Model;
      journal({ kind: 'create', device: config.device, entity: 'Group', clientId: group.id, values: { score: 0 } });
    }
    return;
  }
  if (roll < 0.58) {
    const entity = random() < 0.6 ? 'Task' : 'Space';
    const rows = await own(entity);
    if (rows.length === 0) return;
    const row = pick(rows);
    const values = entity === 'Task' ? { title: unique('u') } : { name: unique('n') };
    await adapterOf(entity).update(row.id, values);
    journal({ kind: 'update', device: config.device, entity, clientId: row.id, values });
    return;
  }
  if (roll < 0.8) {
    // Collaborative increments on any group, one with an open conflict too: counter, append and
    // union merge on the server, and a merge resolution re-applies them by those rules.
    const groups = await device.adapters.group.query().fetch();
    if (groups.length === 0) return;
    const g = pick(groups);
    const delta = 1 + Math.floor(random() * 5);
    const token = unique('h');
    const patch: Record<string, unknown> = {
      score: g.score + delta,
      history: [...((g.history as string[] | null) ?? []), token],
      labels: [...((g.labels as string[] | null) ?? []), token],
    };
    // A manual-merge field: two devices changing it differently is a FIELD_CONFLICT.
    if (random() < 0.5) patch.owner = unique('o');
    await device.adapters.group.update(g.id, patch);
    journal({
      kind: 'bump',
      device: config.device,
      clientId: clientIdOf(g as unknown as Model),
      delta,
      token,
      ...(patch.owner ? { owner: patch.owner as string } : {}),
    });
    return;
  }
  if (roll < 0.88) {
    const entity = random() < 0.6 ? 'Task' : 'Space';
    const rows = await own(entity);
    if (rows.length === 0) return;
    const row = pick(rows);
    await adapterOf(entity).delete(row.id);
    journal({ kind: 'delete', device: config.device, entity, clientId: row.id });
    return;
  }
  if (roll < 0.94) return resolveAll();
  // Force sync drops unacknowledged changes by design: only with nothing queued, so no user write is dropped.
  await sync();
  if ((await listQueue(device.database)).length === 0 && (await device.engine.listConflicts()).length === 0) {
    await inSync(async () => {
      hook('force:before');
      await device.engine.forceSyncFromServer();
      hook('force:after');
    }, 'force');
  }
}

/**
 * A conflict on purpose: another user renames one of this device's synced
 * tasks on the server, then this user renames it here (based on the old
 * version); the next push is refused (manual strategy) and resolved keep-local,
 * so this user's title, journaled last, is the one the server must end with.
 */
async function conflictOnTask(): Promise<void> {
  const queued = new Set((await listQueue(device.database)).map((e) => e.entityId));
  const candidates = (await own('Task')).filter((t) => raw(t).server_id && !queued.has(t.id));
  if (candidates.length === 0) return;
  const task = pick(candidates);
  const theirs = { title: unique('x') };
  const [result] = await otherUser.push({
    entity: 'Task',
    items: [
      {
        opId: uuidv7(),
        op: 'update',
        clientId: task.id,
        id: String(raw(task).server_id),
        baseVersion: Number(raw(task).version),
        updatedAt: new Date().toISOString(),
        data: theirs,
        base: { title: raw(task).title },
      },
    ],
  });
  if (!result?.success) return; // refused: nothing was written, nothing to journal
  journal({ kind: 'update', device: 'other', entity: 'Task', clientId: task.id, values: theirs });
  const mine = { title: unique('u') };
  await device.adapters.task.update(task.id, mine);
  journal({ kind: 'update', device: config.device, entity: 'Task', clientId: task.id, values: mine });
}

/** The work a life scheduled to die in a force sync or a conflict resolution makes sure to do once. */
async function targetedStep(): Promise<void> {
  if (config.killAt?.phase === 'resolve') {
    await conflictOnTask();
    await sync();
    await resolveAll();
  } else if (config.killAt?.phase === 'force') {
    await sync();
    if ((await listQueue(device.database)).length === 0 && (await device.engine.listConflicts()).length === 0) {
      await inSync(() => device.engine.forceSyncFromServer(), 'force');
    }
  }
}

async function find(entity: 'Task' | 'Space', where: Record<string, unknown>): Promise<Model> {
  const rows = (await adapterOf(entity).query().fetch()) as unknown as Model[];
  const found = rows.find((r) => Object.entries(where).every(([k, v]) => (r as unknown as Record<string, unknown>)[k] === v));
  if (!found) throw new Error(`no ${entity} where ${JSON.stringify(where)}`);
  return found;
}

async function scriptStep(step: ScriptStep): Promise<void> {
  switch (step.do) {
    case 'sync':
      return sync();
    case 'create': {
      const record = (await adapterOf(step.entity).create(step.values as never)) as unknown as Model;
      journal({ kind: 'create', device: config.device, entity: step.entity, clientId: record.id, values: step.values });
      return;
    }
    case 'update': {
      const record = await find(step.entity, step.where);
      await adapterOf(step.entity).update(record.id, step.values as never);
      journal({ kind: 'update', device: config.device, entity: step.entity, clientId: clientIdOf(record), values: step.values });
      return;
    }
    case 'delete': {
      const record = await find(step.entity, step.where);
      await adapterOf(step.entity).delete(record.id);
      journal({ kind: 'delete', device: config.device, entity: step.entity, clientId: clientIdOf(record) });
      return;
    }
    default: {
      const unreachable: never = step;
      throw new Error(`unknown step ${JSON.stringify(unreachable)}`);
    }
  }
}

async function main(): Promise<void> {
  if (config.script) {
    for (const step of config.script) await scriptStep(step);
  } else {
    // Opening the app, the user often settles what the last sync left open first.
    if (random() < 0.5) await resolveAll();
    const targeted = Math.floor(random() * config.steps);
    for (let i = 0; i < config.steps; i++) {
      if (i === targeted) await targetedStep();
      await randomStep();
    }
    // Going to the background, the app syncs.
    await sync();
  }
  const queue = await listQueue(device.database);
  writeSync(1, `DONE ${JSON.stringify({ hooks, queue: queue.length, conflicts: (await device.engine.listConflicts()).length })}\n`);
  await device.engine.idle();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    writeSync(2, `${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  },
);

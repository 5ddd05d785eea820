import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listQueue, type WireRecord } from '../../../runtime/client/index';
import { deviceRecords } from './compare';
import type { CrashHook, JournalEntry, LifeConfig, Phase, ScriptStep } from './crashDevice';
import { openDevice, openExampleDatabase, type Device } from './device';
import { syncToQuiet } from './settle';
import { seededRandom } from './faults';
import type { TestServer } from './server';

// Parent side of the crash tests: starts device lives in child processes
// (crashDevice.ts), restarts them on the same database file after each
// SIGKILL, and checks the journal of user writes against the server.

const here = dirname(fileURLToPath(import.meta.url));
const CHILD = join(here, 'crashDevice.ts');
const ROOT = resolve(here, '../../..');

export interface LifeResult {
  /** The hook the child died at (a real SIGKILL), or null when it ran to the end. */
  killedAt: CrashHook | null;
  /** The engine work the kill interrupted. */
  phase?: Phase;
  done: { hooks: number; queue: number; conflicts: number } | null;
}

/** Runs one life in a child process; rejects when it failed in any other way than the planned SIGKILL. */
export function runLife(config: LifeConfig): Promise<LifeResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(config)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const kill = /^KILL (\S+) (\S+)$/m.exec(out);
      const done = /^DONE (.*)$/m.exec(out);
      if (signal === 'SIGKILL' && kill) return resolvePromise({ killedAt: kill[1] as CrashHook, phase: kill[2] as Phase, done: null });
      if (code === 0 && done) return resolvePromise({ killedAt: null, done: JSON.parse(done[1]!) as LifeResult['done'] });
      reject(new Error(`device ${config.device} (seed ${config.seed}) exited with ${signal ?? code}\n${out}\n${err}`));
    });
  });
}

/** A device's database file, opened in this process (after its child exited) to compare with the server. */
export function openDeviceFile(name: string, dbFile: string): Pick<Device, 'name' | 'database'> {
  return { name, database: openExampleDatabase(dbFile) };
}

export interface CrashFigures {
  runs: number;
  lives: number;
  kills: number;
  killsByHook: Partial<Record<CrashHook, number>>;
  /** Kills per interrupted work: sync (push and pull), resolve (conflict resolution), force (force sync). */
  killsByPhase: Partial<Record<Phase, number>>;
  writesChecked: number;
  lost: number;
  duplicated: number;
  /** Every discrepancy, readable (empty when nothing was lost or duplicated and the devices converged). */
  problems: string[];
}

export const emptyFigures = (): CrashFigures => ({
  runs: 0,
  lives: 0,
  kills: 0,
  killsByHook: {},
  killsByPhase: {},
  writesChecked: 0,
  lost: 0,
  duplicated: 0,
  problems: [],
});

/** Adds `b` into `a`. */
export function addFigures(a: CrashFigures, b: CrashFigures): CrashFigures {
  a.runs += b.runs;
  a.lives += b.lives;
  a.kills += b.kills;
  for (const [hook, n] of Object.entries(b.killsByHook)) a.killsByHook[hook as CrashHook] = (a.killsByHook[hook as CrashHook] ?? 0) + n!;
  for (const [phase, n] of Object.entries(b.killsByPhase)) a.killsByPhase[phase as Phase] = (a.killsByPhase[phase as Phase] ?? 0) + n!;
  a.writesChecked += b.writesChecked;
  a.lost += b.lost;
  a.duplicated += b.duplicated;
  a.problems.push(...b.problems);
  return a;
}

export function formatFigures(f: CrashFigures): string {
  const list = (counts: Record<string, number | undefined>) =>
    Object.entries(counts)
      .sort()
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
  return `runs ${f.runs}, lives ${f.lives}, kills ${f.kills} (during ${list(f.killsByPhase)}; at ${list(f.killsByHook)}), writes checked ${f.writesChecked}, lost ${f.lost}, duplicated ${f.duplicated}`;
}

export interface CrashRunOptions {
  /** Device lives in the run (each but the final ones may be killed). Default 8. */
  lives?: number;
  /** Devices of the tenant. Default 2. */
  devices?: number;
  /** Random user actions per life. Default 10. */
  steps?: number;
}

/**
 * One randomized crash run (reproducible by `seed`): devices take turns to
 * live, each life doing random creates, edits, deletes, collaborative group
 * increments, syncs, conflict resolutions and force syncs, and killed with
 * SIGKILL at a random hook of that work (about a third right after the
 * server answered a push, others inside a force sync or a conflict
 * resolution, the rest at any hook); then every device syncs to quiet and
 * the journal is checked against the server and every device.
 */
export async function runCrashSeed(server: TestServer, seed: number, options: CrashRunOptions = {}): Promise<CrashFigures> {
  const lives = options.lives ?? 8;
  const devices = options.devices ?? 2;
  const random = seededRandom(seed);
  const dir = mkdtempSync(join(tmpdir(), 'trackhub-crash-'));
  const tenant = `crash${seed}x${process.pid}`;
  const journal = join(dir, 'journal.jsonl');
  writeFileSync(journal, '');
  const names = Array.from({ length: devices }, (_, i) => `D${i}`);
  const file = (name: string) => join(dir, `${name}.db`);
  const figures = emptyFigures();
  figures.runs = 1;
  const base = { url: server.url, tenant, journal, steps: options.steps ?? 10 };
  try {
    for (let life = 0; life < lives; life++) {
      const device = names[life % devices]!;
      const roll = random();
      const killAt: LifeConfig['killAt'] =
        roll < 0.3
          ? { hook: 'push:answered' }
          : roll < 0.45
            ? { phase: 'force', n: 1 + Math.floor(random() * 8) }
            : roll < 0.55
              ? { phase: 'resolve', n: 1 + Math.floor(random() * 3) }
              : roll < 0.95
                ? { n: 1 + Math.floor(random() * 50) }
                : null;
      const result = await runLife({ ...base, device, dbFile: file(device), seed: seed * 1000 + life, killAt });
      if (process.env.CRASH_KEEP) console.log(`seed ${seed} life ${life} ${device}: ${JSON.stringify({ killAt, ...result })}`);
      figures.lives += 1;
      if (result.killedAt) {
        figures.kills += 1;
        figures.killsByHook[result.killedAt] = (figures.killsByHook[result.killedAt] ?? 0) + 1;
        figures.killsByPhase[result.phase!] = (figures.killsByPhase[result.phase!] ?? 0) + 1;
      }
    }
    // Quiet (in this process, no more kills): every device pushes everything and settles its
    // conflicts, twice round so every device also holds the others' last changes.
    const opened = names.map((name) => openDevice(name, { tenantId: tenant, transport: server.transport(tenant), dbName: file(name) }));
    for (let round = 0; round < 2; round++) {
      for (const device of opened) {
        if (!(await syncToQuiet(device))) figures.problems.push(`${device.name} did not settle: ${JSON.stringify(await listQueue(device.database))}`);
      }
    }
    const entries = readFileSync(journal, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as JournalEntry);
    const check = await checkJournal(server, tenant, entries);
    figures.writesChecked = check.writesChecked;
    figures.lost = check.lost;
    figures.duplicated = check.duplicated;
    figures.problems.push(...check.problems);
    for (const device of opened) {
      for (const entity of ['Space', 'Group', 'Task']) {
        const local = JSON.stringify(await deviceRecords(device, entity));
        const remote = JSON.stringify(await server.records(tenant, entity));
        if (local !== remote) figures.problems.push(`${device.name} ${entity}: device differs from the server`);
      }
    }
    figures.problems = figures.problems.map((p) => `seed ${seed}: ${p}`);
    return figures;
  } finally {
    // CRASH_KEEP=1 keeps the run's databases and journal to inspect (the soak prints where).
    if (process.env.CRASH_KEEP) console.log(`seed ${seed}: databases and journal kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/** What the journal says the server must hold, compared with what it holds. */
export async function checkJournal(
  server: TestServer,
  tenant: string,
  entries: JournalEntry[],
): Promise<{ writesChecked: number; lost: number; duplicated: number; problems: string[] }> {
  const problems: string[] = [];
  let lost = 0;
  let duplicated = 0;
  const records = new Map<string, { entity: string; deleted: boolean; values: Record<string, unknown>; writes: number }>();
  const groups = new Map<string, { score: number; tokens: string[] }>();
  for (const e of entries) {
    if (e.kind === 'bump') {
      const g = groups.get(e.clientId) ?? { score: 0, tokens: [] };
      g.score += e.delta;
      g.tokens.push(e.token);
      groups.set(e.clientId, g);
      continue;
    }
    const r = records.get(e.clientId) ?? { entity: e.entity, deleted: false, values: {}, writes: 0 };
    r.writes += 1;
    if (e.kind === 'delete') r.deleted = true;
    else Object.assign(r.values, e.values);
    records.set(e.clientId, r);
    if (e.entity === 'Group' && !groups.has(e.clientId)) groups.set(e.clientId, { score: 0, tokens: [] });
  }
  const onServer = new Map<string, WireRecord[]>();
  for (const entity of ['Space', 'Group', 'Task']) {
    const rows = await server.records(tenant, entity);
    const byClient = new Map<string, WireRecord[]>();
    for (const row of rows) {
      const key = String(row.clientId ?? row.id);
      byClient.set(key, [...(byClient.get(key) ?? []), row]);
    }
    for (const [clientId, copies] of byClient) {
      onServer.set(clientId, copies);
      if (copies.length > 1) {
        duplicated += copies.length - 1;
        problems.push(`${entity} ${clientId} is on the server ${copies.length} times`);
      }
      if (!records.has(clientId)) {
        duplicated += 1;
        problems.push(`${entity} ${clientId} is on the server but was never created by a user`);
      }
    }
  }
  for (const [clientId, r] of records) {
    const copies = onServer.get(clientId) ?? [];
    if (r.deleted) {
      if (copies.length > 0) {
        lost += 1;
        problems.push(`${r.entity} ${clientId} was deleted by the user and is alive on the server`);
      }
      continue;
    }
    if (copies.length === 0) {
      lost += r.writes;
      problems.push(`${r.entity} ${clientId} was created by the user and is missing on the server`);
      continue;
    }
    for (const [field, value] of Object.entries(r.values)) {
      if (r.entity === 'Group') continue;
      if (copies[0]![field] !== value) {
        lost += 1;
        problems.push(
          `${r.entity} ${clientId}.${field}: the server has ${JSON.stringify(copies[0]![field])}, the user's last write was ${JSON.stringify(value)}`,
        );
      }
    }
  }
  for (const [clientId, g] of groups) {
    const row = onServer.get(clientId)?.[0];
    if (!row) continue; // a group created by nobody in the journal is reported above
    if (row.score !== g.score) {
      if (Number(row.score) < g.score) lost += 1;
      else duplicated += 1;
      problems.push(`Group ${clientId}.score: the server has ${String(row.score)}, the increments sum to ${g.score}`);
    }
    const history = (row.history as string[] | null) ?? [];
    const labels = new Set((row.labels as string[] | null) ?? []);
    for (const token of g.tokens) {
      const n = history.filter((h) => h === token).length;
      if (n === 0) lost += 1;
      if (n > 1) duplicated += n - 1;
      if (n !== 1) problems.push(`Group ${clientId}.history holds ${token} ${n} times`);
      if (!labels.has(token)) {
        lost += 1;
        problems.push(`Group ${clientId}.labels lacks ${token}`);
      }
    }
  }
  return { writesChecked: entries.length, lost, duplicated, problems };
}

/** The regression cases of issue #10 as scripted lives: returns the server's tasks at the end. */
export async function runScripted(
  server: TestServer,
  lives: { script: ScriptStep[]; killAt: LifeConfig['killAt'] }[],
): Promise<{ results: LifeResult[]; tasks: WireRecord[]; tenant: string; device: Pick<Device, 'name' | 'database'>; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'trackhub-crash-case-'));
  const tenant = `case${process.pid}x${Math.floor(Math.random() * 1e9)}`;
  const journal = join(dir, 'journal.jsonl');
  const results: LifeResult[] = [];
  for (const [i, life] of lives.entries()) {
    results.push(await runLife({ url: server.url, tenant, journal, device: 'A', dbFile: join(dir, 'A.db'), seed: i, steps: 0, ...life }));
  }
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  return { results, tasks: await server.records(tenant, 'Task'), tenant, device: openDeviceFile('A', join(dir, 'A.db')), cleanup };
}

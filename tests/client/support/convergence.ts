import { expect } from 'vitest';
import type { Space, Task } from '../../../examples/trackhub-core/generated/watermelon/index';
import { ManualNetwork, listQueue } from '../../../runtime/client/index';
import { deviceRecords } from './compare';
import { openDevice, type Device } from './device';
import { faultyFetch, seededRandom, type FaultyFetch } from './faults';
import type { TestServer } from './server';

interface Sim {
  device: Device;
  network: ManualNetwork;
  faults: FaultyFetch;
  /** Local ids of records this device created. */
  created: Map<string, 'Space' | 'Group' | 'Task'>;
}

/**
 * One randomized convergence run against `server`: devices doing random
 * creates, updates, deletes and conflict resolutions with random offline
 * periods and injected network faults, then a final sync. Asserts every
 * device equals the server and every write not deleted is on the server.
 * The same seed replays the same run.
 */
export async function runConvergence(server: TestServer, seed: number, STEPS: number, DEVICES: number): Promise<void> {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const tenant = `conv${seed}x${process.pid}`;
  let clock = Date.parse('2025-06-01T00:00:00.000Z');
  const sims: Sim[] = Array.from({ length: DEVICES }, (_, i) => {
    const network = new ManualNetwork(true);
    const faults = faultyFetch({ rate: 0.2, random, delayMs: 5 });
    // A shared, strictly increasing clock: edit times never tie, so the run is reproducible.
    const device = openDevice(`D${i}`, {
      tenantId: tenant,
      transport: server.transport(tenant, faults.fetch),
      platform: { network, clock: { now: () => (clock += 7) }, random },
    });
    return { device, network, faults, created: new Map() };
  });
  const deleted = new Set<string>(); // clientIds (creator's local id) of deleted records

  for (let step = 0; step < STEPS; step++) {
    const sim = pick(sims);
    const { adapters } = sim.device;
    const roll = random();
    if (roll < 0.12) {
      sim.network.set(!sim.network.isOnline());
    } else if (roll < 0.32) {
      const kind = random();
      if (kind < 0.45) {
        const s = await adapters.space.create({ name: `s${seed}-${step}`, viewCount: Math.floor(random() * 10) });
        sim.created.set(s.id, 'Space');
      } else if (kind < 0.75) {
        const g = await adapters.group.create({ name: `g${seed}-${step}`, score: 0, labels: [], history: [] });
        sim.created.set(g.id, 'Group');
      } else {
        // A child of a random local space (possibly not yet pushed, possibly deleted later).
        const spaces = await adapters.space.query().fetch();
        const t = await adapters.task.create({ title: `t${seed}-${step}`, spaceId: spaces.length && random() < 0.7 ? pick(spaces).id : null });
        sim.created.set(t.id, 'Task');
      }
    } else if (roll < 0.6) {
      const kind = random();
      if (kind < 0.4) {
        const spaces = await adapters.space.query().fetch();
        if (spaces.length) await adapters.space.update(pick(spaces).id, { name: `n${step}`, description: random() < 0.5 ? null : `d${step}` });
      } else if (kind < 0.8) {
        const groups = await adapters.group.query().fetch();
        if (groups.length) {
          const g = pick(groups);
          const labels = [...((g.labels as string[] | null) ?? []), `l${step % 5}`];
          await adapters.group.update(g.id, {
            score: g.score + 1 + Math.floor(random() * 3),
            labels: [...new Set(labels)],
            history: [...((g.history as string[] | null) ?? []), `h${step}`],
          });
        }
      } else {
        const tasks = await adapters.task.query().fetch();
        if (tasks.length) await adapters.task.update(pick(tasks).id, { title: `u${step}`, done: random() < 0.5 });
      }
    } else if (roll < 0.7) {
      const rows: (Space | Task)[] = random() < 0.7 ? await adapters.space.query().fetch() : await adapters.task.query().fetch();
      if (rows.length) {
        const r = pick(rows);
        deleted.add(r.clientId ?? r.id);
        await (r.collection.table === 'spaces' ? adapters.space.delete(r.id) : adapters.task.delete(r.id));
      }
    } else if (roll < 0.76) {
      // Settle an open conflict, any way the user might.
      const conflicts = await sim.device.engine.listConflicts();
      if (conflicts.length) {
        const c = pick(conflicts);
        const gone = c.serverData === null || c.serverData.deletedAt != null;
        const kind = gone ? 'useServer' : pick(['keepLocal', 'useServer', 'merge'] as const);
        const resolution = kind === 'merge' ? { kind, data: c.entity === 'Task' ? { title: `m${step}` } : { name: `m${step}` } } : { kind };
        await sim.device.engine.resolveConflict(c.id, resolution).catch((error: Error) => {
          // The record may be gone since (deleted here or there): only use-server still applies.
          if (!/only 'useServer'|record is gone/.test(error.message)) throw error;
          return sim.device.engine.resolveConflict(c.id, { kind: 'useServer' });
        });
      }
    } else {
      await sim.device.engine.sync(random() < 0.5 ? 'manual' : 'interval');
    }
  }

  // Final: everyone online, no more faults; conflicts are settled for the server, then sync until quiet.
  for (const sim of sims) {
    sim.network.set(true);
    sim.faults.options.rate = 0;
  }
  for (let round = 0; round < 8; round++) {
    let busy = false;
    for (const { device } of sims) {
      for (const c of await device.engine.listConflicts()) await device.engine.resolveConflict(c.id, { kind: 'useServer' });
      const report = await device.engine.sync('manual');
      if (report.error || (await listQueue(device.database)).length > 0) busy = true;
    }
    if (!busy) break;
  }
  for (const { device } of sims) await device.engine.sync('manual');

  for (const entity of ['Space', 'Group', 'Task']) {
    const onServer = await server.records(tenant, entity);
    for (const { device } of sims) {
      expect(await listQueue(device.database), `${device.name} queue`).toEqual([]);
      expect(await deviceRecords(device, entity), `seed ${seed}: ${device.name} ${entity}`).toEqual(onServer);
    }
    const clientIds = new Set(onServer.map((r) => r.clientId));
    for (const sim of sims) {
      for (const [localId, kind] of sim.created) {
        if (kind !== entity || deleted.has(localId)) continue;
        expect(clientIds.has(localId), `seed ${seed}: ${entity} created on ${sim.device.name} as ${localId} is on the server`).toBe(true);
      }
    }
  }
  const injected = sims.reduce((n, s) => n + s.faults.log.length, 0);
  expect(injected).toBeGreaterThan(0);
}

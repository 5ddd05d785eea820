import type { Model } from '@nozbe/watermelondb';
import { listQueue, type Resolution } from '../../../runtime/client/index';
import type { Device } from './device';

/**
 * Settle every open conflict without dropping a user write: a group merges
 * (the server's suggestion, which carries the device's counter, append and
 * union changes, with the device's owner on top), anything else keeps the
 * local record; a record gone on either side takes the server's state.
 * `around` wraps each resolution (the crash driver arms its kill hooks there).
 */
export async function settleConflicts(device: Device, around: (work: () => Promise<void>) => Promise<void> = (work) => work()): Promise<void> {
  for (const conflict of await device.engine.listConflicts()) {
    const meta = device.engine.registry.entities.find((e) => e.name === conflict.entity)!;
    const [record] = await device.database
      .get<Model>(meta.table)
      .query()
      .fetch()
      .then((rows) => rows.filter((r) => r.id === conflict.entityId));
    const raw = record?._raw as unknown as Record<string, unknown> | undefined;
    const gone = conflict.serverData === null || conflict.serverData.deletedAt != null || !raw || raw.deleted_at !== null;
    const resolution: Resolution = gone
      ? { kind: 'useServer' }
      : conflict.entity === 'Group'
        ? { kind: 'merge', data: { owner: raw.owner ?? null } }
        : { kind: 'keepLocal' };
    await around(() => device.engine.resolveConflict(conflict.id, resolution));
  }
}

/** Sync until the queue is empty and no conflict is open (conflicts settled as above); false if it never got there. */
export async function syncToQuiet(device: Device, rounds = 12): Promise<boolean> {
  for (let round = 0; round < rounds; round++) {
    await settleConflicts(device);
    const report = await device.engine.sync('manual');
    if (report.error === null && (await listQueue(device.database)).length === 0 && (await device.engine.listConflicts()).length === 0) return true;
  }
  return false;
}

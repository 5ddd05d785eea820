import { Q, type Model } from '@nozbe/watermelondb';
import { entityMeta, rawToWire, type RawColumns, type WireRecord } from '../../../runtime/client/index';
import { registry, type Device } from './device';

/**
 * A device's live records of an entity in the server's shape: `id` is the
 * server id and foreign keys are translated back to server ids, sorted by id,
 * so it compares equal to what the server returns.
 */
export async function deviceRecords(device: Device, entity: string): Promise<WireRecord[]> {
  const meta = entityMeta(registry, entity);
  const rows = await device.database.get<Model>(meta.table).query(Q.where('deleted_at', null)).fetch();
  const out: WireRecord[] = [];
  for (const row of rows) {
    const wire = rawToWire(meta, row._raw as unknown as RawColumns);
    for (const rel of meta.belongsTo) {
      const local = wire[rel.field];
      if (typeof local !== 'string') continue;
      const parent = await device.database.get<Model>(entityMeta(registry, rel.target).table).query(Q.where('id', local)).fetch();
      wire[rel.field] = (parent[0]?._raw as unknown as { server_id: string | null } | undefined)?.server_id ?? local;
    }
    out.push(wire);
  }
  return out.sort((a, b) => String(a.id).localeCompare(String(b.id)));
}

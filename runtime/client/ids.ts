import { Q, type Database, type Model } from '@nozbe/watermelondb';
import type { EntityMeta } from './meta';
import { rawOf } from './rawRecord';

/**
 * Foreign keys hold local ids on the device and server ids on the wire
 * (docs/PROTOCOL.md). A record first seen in a pull has local id = server id;
 * a record created here has a UUID v7 local id and learns its server id when
 * its insert is acknowledged.
 */

/** Server id of each local id of `parent`; null while the parent's insert is unacknowledged. */
export async function serverIdsOf(database: Database, parent: EntityMeta, localIds: string[]): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  if (localIds.length === 0) return out;
  const rows = await database
    .get<Model>(parent.table)
    .query(Q.where('id', Q.oneOf(unique(localIds))))
    .fetch();
  for (const row of rows) out.set(row.id, rawOf(row).server_id);
  return out;
}

/** Local id of each known server id of `parent` (unknown ids are absent: they map to themselves). */
export async function localIdsOf(database: Database, parent: EntityMeta, serverIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (serverIds.length === 0) return out;
  const rows = await database
    .get<Model>(parent.table)
    .query(Q.where('server_id', Q.oneOf(unique(serverIds))))
    .fetch();
  for (const row of rows) out.set(rawOf(row).server_id!, row.id);
  return out;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

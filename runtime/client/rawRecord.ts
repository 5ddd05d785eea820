import type { Model } from '@nozbe/watermelondb';
import type { QueueOperation, QueueStatus } from '../../protocol/index';

/**
 * Typed views of WatermelonDB's raw rows (`Model._raw`, typed by WatermelonDB
 * as an opaque `RawRecord`): the one place the client runtime reads `_raw`.
 * The column types are those the generated schema declares.
 */

/** A row of a synced entity table: the sync columns, then the entity's own columns. */
export interface EntityRow {
  [column: string]: string | number | boolean | null;
  id: string;
  server_id: string | null;
  client_id: string | null;
  version: number;
  updated_at: number;
  deleted_at: number | null;
}

/** A row of `operation_queue` (see queue.ts for what each column holds). */
export interface QueueRow {
  id: string;
  entity: string;
  operation: QueueOperation;
  entity_id: string;
  /** JSON of the changed fields in wire form. */
  payload: string;
  /** JSON of the base values (and what a pull saw, see `decodeBase` in queue.ts), or null. */
  base: string | null;
  status: QueueStatus;
  attempts: number;
  next_attempt_at: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

/** The raw columns of an entity record. */
export function rawOf(record: Model): EntityRow {
  return record._raw as unknown as EntityRow;
}

/** The raw columns of an `operation_queue` row. */
export function queueRowOf(entry: Model): QueueRow {
  return entry._raw as unknown as QueueRow;
}

/** The raw columns of a system-table row (`sync_state`, `conflicts`), by their declared shape. */
export function systemRowOf<Row extends object>(row: Model): Row {
  return row._raw as unknown as Row;
}

/**
 * The system tables (README "Output layout"), shared by every generated database. The
 * client runtime (runtime/client) reads and writes them by these names.
 */

export interface SystemColumn {
  name: string;
  type: 'string' | 'number' | 'boolean';
  isOptional?: boolean;
  isIndexed?: boolean;
}

export interface SystemTable {
  table: string;
  className: string;
  doc: string;
  columns: SystemColumn[];
}

export const SYSTEM_TABLES: SystemTable[] = [
  {
    table: 'operation_queue',
    className: 'SyncOperation',
    doc: 'A local write waiting to be pushed (the outbox). Its id is the operation id the server deduplicates by.',
    columns: [
      { name: 'entity', type: 'string', isIndexed: true },
      { name: 'operation', type: 'string' },
      { name: 'entity_id', type: 'string', isIndexed: true },
      { name: 'payload', type: 'string' },
      { name: 'base', type: 'string', isOptional: true },
      { name: 'status', type: 'string', isIndexed: true },
      { name: 'attempts', type: 'number' },
      { name: 'next_attempt_at', type: 'number', isOptional: true },
      { name: 'last_error', type: 'string', isOptional: true },
      { name: 'created_at', type: 'number' },
      { name: 'updated_at', type: 'number' },
    ],
  },
  {
    table: 'sync_state',
    className: 'SyncStateEntry',
    doc: 'Pull position of one entity.',
    columns: [
      { name: 'entity', type: 'string', isIndexed: true },
      { name: 'cursor', type: 'string', isOptional: true },
      { name: 'last_sync_at', type: 'number', isOptional: true },
      { name: 'version_hash', type: 'string', isOptional: true },
      { name: 'updated_at', type: 'number' },
    ],
  },
  {
    table: 'conflicts',
    className: 'SyncConflict',
    doc: 'A change the server could not apply without a decision.',
    columns: [
      { name: 'entity', type: 'string', isIndexed: true },
      { name: 'entity_id', type: 'string', isIndexed: true },
      { name: 'local_data', type: 'string' },
      { name: 'server_data', type: 'string' },
      { name: 'local_version', type: 'number' },
      { name: 'server_version', type: 'number' },
      { name: 'conflict_type', type: 'string' },
      { name: 'resolved', type: 'boolean', isIndexed: true },
      { name: 'created_at', type: 'number' },
    ],
  },
  {
    table: 'uploads',
    className: 'SyncUpload',
    doc: 'A media file waiting for the background uploader.',
    columns: [
      { name: 'local_path', type: 'string' },
      { name: 'remote_url', type: 'string', isOptional: true },
      { name: 'status', type: 'string', isIndexed: true },
      { name: 'attempts', type: 'number' },
      { name: 'meta', type: 'string', isOptional: true },
      { name: 'entity', type: 'string', isOptional: true },
      { name: 'entity_id', type: 'string', isOptional: true },
      { name: 'created_at', type: 'number' },
      { name: 'updated_at', type: 'number' },
    ],
  },
];

export const SYSTEM_TABLE_NAMES = SYSTEM_TABLES.map((t) => t.table);

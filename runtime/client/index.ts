export {
  defineRegistry,
  entityMeta,
  type BelongsToMeta,
  type EntityMeta,
  type FieldMeta,
  type FileFieldMeta,
  type SyncDirection,
  type SyncRegistry,
  type SyncStrategy,
  type ValueKind,
} from './meta';
export { columnToValue, columnToWire, rawToWire, wireToRaw, type RawColumns, type WireRecord } from './mapping';
export { SyncAdapter, WritableSyncAdapter, type AdapterContext } from './syncAdapter';
export { LocalWriteError } from './localWrites';
export { listQueue, pendingCount, type QueueEntry, type QueueOperation, type QueueStatus } from './queue';
export { listConflicts, resolveConflict, type ConflictEntry, type ConflictType, type Resolution } from './conflicts';
export { exportState, type ExportedState } from './admin';
export { conflictDiff, displayValue, type ConflictDiff, type ConflictFieldDiff } from './conflictDiff';
export { CheckpointError, SyncEngine, type SyncEngineOptions, type SyncProgress, type SyncReport, type SyncStatus, type SyncTrigger } from './engine';
export type { LocalSchemaInfo, PullReport } from './pull';
export type { PushBatchOutcome, PushReport } from './push';
export { GraphqlTransport, type GraphqlTransportOptions } from './graphqlTransport';
export { typedOperations, type TypedOperations } from './typedOperations';
export {
  ResyncRequiredError,
  TransportError,
  type ConflictPayload,
  type PullPage,
  type PushItem,
  type PushResult,
  type SyncTransport,
  type UploadTicketInput,
} from './transport';
export {
  ManualNetwork,
  alwaysOnline,
  backoffDelay,
  noAppState,
  systemClock,
  systemTimers,
  type AppStateMonitor,
  type Clock,
  type NetworkMonitor,
  type Platform,
  type Timers,
} from './platform';
export { EventStream, ValueStore, type Subscribable } from './observable';
export type { SyncEvent } from './events';
export { readRecordSyncStates, type RecordSyncState } from './recordState';
export { adoptLocalWrites, type AdoptOptions, type AdoptReport } from './adoptLocalWrites';
export { TenantSwitcher, UnsyncedWorkError, tenantDatabaseName, type DatabaseFactory, type DropOptions } from './tenantDatabase';
export {
  UPLOAD_PLACEHOLDER_PREFIX,
  UPLOAD_TABLE,
  listUploads,
  placeholderUploadId,
  uploadPlaceholder,
  type UploadEntry,
  type UploadStatus,
  type UploadTicket,
} from './uploads/uploadTable';
export { MissingFileError, type FileSource, type FileStore, type StoredFile } from './uploads/fileStore';
export { UploadError, putUploadTransport, type UploadRequest, type UploadTransport } from './uploads/uploadTransport';
export { tusUploadTransport, type TusClient, type TusUploadOptions } from './uploads/tusUploadTransport';
export { unmeteredOnly, type UploadOptions, type UploadPassReport, type UploadPolicy, type UploadProgress } from './uploads/uploader';
export type { FileDisplaySource } from './uploads/manageUploads';

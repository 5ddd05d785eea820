import type { ConflictType } from './conflicts';
import type { SyncTrigger } from './engine';

/**
 * What the engine reports while it works (`engine.events.subscribe`), for logs
 * and metrics. Operation ids double as trace ids: the server's `onOperation`
 * hook sees the same id (docs/PROTOCOL.md "Traces").
 */
export type SyncEvent =
  | { type: 'syncStart'; trigger: SyncTrigger; at: number }
  | {
      type: 'syncFinish';
      trigger: SyncTrigger;
      ok: boolean;
      error: string | null;
      durationMs: number;
      /** Push results of this sync. */
      acknowledged: number;
      conflicts: number;
      failed: number;
      retrying: number;
      /** Records created, updated or deleted by the pull, over all entities. */
      pulled: number;
    }
  /** App writes made the WatermelonDB way, queued (adoptLocalWrites.ts). */
  | { type: 'adopted'; inserts: number; updates: number; deletes: number }
  /** One push request and its outcome; `opIds` are the trace ids of its items. */
  | {
      type: 'pushBatch';
      entity: string;
      opIds: string[];
      acknowledged: number;
      conflicts: number;
      failed: number;
      retrying: number;
      /** Request and result application, in ms. */
      durationMs: number;
      /** The whole request failed (transport), or null. */
      error: string | null;
    }
  /** Items left for a later attempt (with backoff). */
  | { type: 'retryScheduled'; entity: string; opIds: string[]; error: string }
  | { type: 'conflict'; entity: string; entityId: string; opId: string; conflictType: ConflictType | string }
  /** Items parked as `failed` (not retried until edited or `forcePushLocal`). */
  | { type: 'failure'; entity: string; opIds: string[]; error: string }
  /** Bytes of one upload: `sent` handed to the network, `acknowledged` confirmed by storage (docs/PROTOCOL.md "Media"). */
  | { type: 'uploadProgress'; uploadId: string; entity: string; entityId: string; field: string; sent: number; acknowledged: number; size: number }
  /** An upload is complete: its key is in the record and in the waiting queued operation. */
  | { type: 'uploadDone'; uploadId: string; entity: string; entityId: string; field: string; key: string; size: number; attempts: number }
  /** An attempt failed and will be retried at `nextAttemptAt`. */
  | { type: 'uploadRetry'; uploadId: string; entity: string; entityId: string; field: string; error: string; nextAttemptAt: number }
  /** An upload given up for good; `opIds` are the queued operations parked with it. */
  | { type: 'uploadFailed'; uploadId: string; entity: string; entityId: string; field: string; error: string; opIds: string[] }
  /** An entity re-pulled from scratch, and why. */
  | { type: 'resync'; entity: string; reason: 'first' | 'layout' | 'resync' | 'forced' | 'migration'; pages: number; durationMs: number };

import { createSyncCore, type SyncCore, type SyncCoreOptions } from './core';
import { requestError } from './errors';
import { fileUrl, uploadTicket } from './files';
import type { SyncUploadTicketInput, SyncUploadTicketResponse } from './storage/types';
import type { SyncAuth, SyncPullArgs, SyncPullResponse, SyncResultItem, WireRecord } from './types';

/** How the runtime finds the authenticated caller in the GraphQL context. */
export type GetAuth<TContext> = (context: TContext) => SyncAuth | null | undefined;

export interface SyncServerOptions<TContext> extends Partial<Omit<SyncCoreOptions, 'prisma' | 'entities'>> {
  /** Prisma Client (7) generated from a schema that includes `server/prisma/sync.prisma`. */
  prisma: SyncCoreOptions['prisma'];
  /** The caller from the context; default `context.auth`. No caller: `UNAUTHENTICATED`. */
  getAuth?: GetAuth<TContext>;
  /**
   * Called once per pushed item after its batch is decided (and committed),
   * with the item's `opId`: the client's operation id, which doubles as its
   * trace id (docs/PROTOCOL.md "Traces"). Log it with the result to follow a
   * write from the device to the row. Runs after the response is settled; a
   * throwing hook does not fail the push.
   */
  onOperation?: (event: OperationEvent<TContext>) => void;
}

/** One pushed item and its outcome, for `onOperation`. */
export interface OperationEvent<TContext> {
  /** The client's operation id (its trace id); null when the item had none (refused as invalid). */
  opId: string | null;
  entity: string;
  op: string | null;
  /** The GraphQL context of the request (e.g. a request-scoped logger). */
  context: TContext;
  auth: SyncAuth;
  result: SyncResultItem;
}

/**
 * What generated resolvers call: the core plus the context → caller step.
 * Every operation authenticates first; the tenant never comes from arguments.
 */
export interface SyncHandlers<TContext> {
  core: SyncCore;
  /** One pull page; `T` is the entity's typed record (the runtime returns wire records). */
  pull<T = WireRecord>(context: TContext, entity: string, args: SyncPullArgs): Promise<SyncPullResponse<T>>;
  push(context: TContext, entity: string, items: readonly unknown[]): ReturnType<SyncCore['push']>;
  /** `syncUploadTicket` (docs/PROTOCOL.md "Media"). */
  uploadTicket(context: TContext, input: SyncUploadTicketInput): Promise<SyncUploadTicketResponse>;
  /** `syncFileUrl`: a read URL for a key of the caller's tenant. */
  fileUrl(context: TContext, key: string): Promise<SyncFileUrlResponse>;
}

/** `SyncFileUrl` of the generated SDL. */
export interface SyncFileUrlResponse {
  url: string;
  expiresAt: string | null;
}

/** Build the handlers behind the generated resolver map. */
export function createSyncHandlers<TContext>(
  options: SyncServerOptions<TContext> & Pick<SyncCoreOptions, 'entities' | 'maxBatch' | 'pageSizeMax' | 'tombstoneHorizonDays'>,
): SyncHandlers<TContext> {
  const core = createSyncCore(options);
  const getAuth: GetAuth<TContext> = options.getAuth ?? ((context) => (context as { auth?: SyncAuth | null }).auth);
  const authOf = (context: TContext): SyncAuth => {
    const auth = getAuth(context);
    if (!auth || typeof auth.tenantId !== 'string' || auth.tenantId === '')
      throw requestError('UNAUTHENTICATED', 'sync requires an authenticated tenant');
    return auth;
  };
  return {
    core,
    pull: <T>(context: TContext, entity: string, args: SyncPullArgs) =>
      core.pull(authOf(context), entity, args) as Promise<SyncPullResponse<unknown>> as Promise<SyncPullResponse<T>>,
    push: async (context, entity, items) => {
      const auth = authOf(context);
      const results = await core.push(auth, entity, items);
      if (options.onOperation) reportOperations(options.onOperation, context, auth, entity, items, results);
      return results;
    },
    uploadTicket: (context, input) => uploadTicket(core, authOf(context), input),
    fileUrl: (context, key) => fileUrl(core, authOf(context), key),
  };
}

function reportOperations<TContext>(
  hook: (event: OperationEvent<TContext>) => void,
  context: TContext,
  auth: SyncAuth,
  entity: string,
  items: readonly unknown[],
  results: SyncResultItem[],
): void {
  items.forEach((item, index) => {
    const fields = (item ?? {}) as { opId?: unknown; op?: unknown };
    try {
      hook({
        opId: typeof fields.opId === 'string' ? fields.opId : null,
        entity,
        op: typeof fields.op === 'string' ? fields.op : null,
        context,
        auth,
        result: results[index]!,
      });
    } catch {
      // Logging must never turn a committed push into an error for the client.
    }
  });
}

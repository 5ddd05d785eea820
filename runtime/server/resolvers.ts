import { createSyncCore, type SyncCore, type SyncCoreOptions } from './core';
import { requestError } from './errors';
import type { SyncAuth, SyncPullArgs, SyncPullResponse, WireRecord } from './types';

/** How the runtime finds the authenticated caller in the GraphQL context. */
export type GetAuth<TContext> = (context: TContext) => SyncAuth | null | undefined;

export interface SyncServerOptions<TContext> extends Partial<Omit<SyncCoreOptions, 'prisma' | 'entities'>> {
  /** Prisma Client (7) generated from a schema that includes `server/prisma/sync.prisma`. */
  prisma: SyncCoreOptions['prisma'];
  /** The caller from the context; default `context.auth`. No caller: `UNAUTHENTICATED`. */
  getAuth?: GetAuth<TContext>;
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
}

/** Build the handlers behind the generated resolver map. */
export function createSyncHandlers<TContext>(
  options: SyncServerOptions<TContext> & Pick<SyncCoreOptions, 'entities' | 'maxBatch' | 'pageSizeMax' | 'tombstoneHorizonDays'>,
): SyncHandlers<TContext> {
  const core = createSyncCore(options);
  const getAuth: GetAuth<TContext> = options.getAuth ?? ((context) => (context as { auth?: SyncAuth | null }).auth);
  const authOf = (context: TContext): SyncAuth => {
    const auth = getAuth(context);
    if (!auth || typeof auth.tenantId !== 'string' || auth.tenantId === '') throw requestError('UNAUTHENTICATED', 'sync requires an authenticated tenant');
    return auth;
  };
  return {
    core,
    pull: <T>(context: TContext, entity: string, args: SyncPullArgs) =>
      core.pull(authOf(context), entity, args) as Promise<SyncPullResponse<unknown>> as Promise<SyncPullResponse<T>>,
    push: (context, entity, items) => core.push(authOf(context), entity, items),
  };
}

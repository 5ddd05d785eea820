import { tenantIsolation } from './authorize';
import { describeEntity } from './describeEntity';
import { requireStorage } from './files';
import type { SyncStorage } from './storage/types';
import { requestError } from './errors';
import { pullPage } from './pull';
import { pushBatch } from './push/push';
import type {
  AuthorizeFn,
  DataValidator,
  PrismaLike,
  SqlDialect,
  SyncAuth,
  SyncEntityDefinition,
  SyncEntityDescriptor,
  SyncFieldDescriptor,
  SyncPullArgs,
  SyncPullResponse,
  SyncResultItem,
} from './types';
import { pulledFields, selectOf } from './wire';

/** Options of the sync core; the generated `createResolvers` fills in the entities and defaults. */
export interface SyncCoreOptions {
  /** A Prisma Client (7) whose schema includes `server/prisma/sync.prisma`. */
  prisma: PrismaLike;
  entities: readonly SyncEntityDefinition[];
  /** SQL flavour; read from Prisma Client when omitted. */
  dialect?: SqlDialect;
  /** Authorization hook; default `tenantIsolation`. */
  authorize?: AuthorizeFn;
  /** Largest push batch (config `server.maxBatch`). */
  maxBatch: number;
  /** Hard cap on a pull page (config `server.pageSize.max`). */
  pageSizeMax: number;
  /** Tombstones and cursors older than this get `RESYNC_REQUIRED` (config `server.tombstoneHorizonDays`). */
  tombstoneHorizonDays: number;
  /** Clock, for tests. Default `() => new Date()`. */
  now?: () => Date;
  /**
   * Where the objects of file fields (`@sync.file`) live (docs/PROTOCOL.md
   * "Media"). Required when an entity has a file field: the core refuses to
   * start without it.
   */
  storage?: SyncStorage;
  /**
   * Read pull pages with raw SQL where every pulled field type allows it
   * (runtime/server/rawPage.ts: the same rows and wire values as `findMany`,
   * without Prisma's per-value decoding). Default true; false reads every
   * page through `findMany`.
   */
  rawPull?: boolean;
}

/** An entity with what the runtime derives from its descriptor once. */
export interface EntityRuntime {
  descriptor: SyncEntityDescriptor;
  validators: { create: DataValidator; update: DataValidator } | null;
  sequence: { field: string; column: string };
  fields: Map<string, SyncFieldDescriptor>;
  /** Fields that leave the server. */
  pulled: SyncFieldDescriptor[];
  pullSelect: Record<string, true>;
  /** Every field but ignored ones: what a push reads and compares. */
  readable: SyncFieldDescriptor[];
  /** Prisma `select` of `readable` plus the scope. */
  readSelect: Record<string, true>;
}

export interface SyncCore {
  options: SyncCoreOptions;
  dialect: SqlDialect;
  now: () => Date;
  authorize: AuthorizeFn;
  /** The app's own hook, or null when tenant isolation (already in every query) is all. */
  customAuthorize: AuthorizeFn | null;
  entity(name: string): EntityRuntime;
  pull(auth: SyncAuth, entity: string, args: SyncPullArgs): Promise<SyncPullResponse>;
  push(auth: SyncAuth, entity: string, items: readonly unknown[]): Promise<SyncResultItem[]>;
}

/** Build the sync core once per server: pull and push of docs/PROTOCOL.md over Prisma Client. */
export function createSyncCore(options: SyncCoreOptions): SyncCore {
  requireStorage(options.entities, options.storage);
  const byName = new Map<string, EntityRuntime>();
  for (const def of options.entities) byName.set(def.descriptor.name, entityRuntime(def));
  const core: SyncCore = {
    options,
    dialect: options.dialect ?? detectDialect(options.prisma),
    now: options.now ?? (() => new Date()),
    authorize: options.authorize ?? tenantIsolation,
    customAuthorize: options.authorize && options.authorize !== tenantIsolation ? options.authorize : null,
    entity(name) {
      const entity = byName.get(name);
      if (!entity) throw requestError('UNKNOWN_ENTITY', `unknown entity '${name}'`, { entities: [...byName.keys()] });
      return entity;
    },
    pull: (auth, name, args) => pullPage(core, auth, core.entity(name), args),
    push: (auth, name, items) => pushBatch(core, auth, core.entity(name), items),
  };
  return core;
}

function entityRuntime(def: SyncEntityDefinition): EntityRuntime {
  const d = describeEntity(def.descriptor);
  if (!d.sequence) {
    throw new Error(
      `trackhub-sync: entity ${d.name} has no change-sequence field. Add \`/// @sync.ignore\` \`syncSeq BigInt @default(0)\` ` +
        `and \`@@index([${d.scope}, syncSeq])\` to the model, then regenerate (see server/prisma/sync.prisma). ` +
        `(GraphQL SDL types get it implied: regenerate, and give the database the column of server/prisma/models.prisma.)`,
    );
  }
  const pulled = pulledFields(d);
  const readable = pulled;
  return {
    descriptor: d,
    validators: def.validators,
    sequence: d.sequence,
    fields: new Map(d.fields.map((f) => [f.name, f])),
    pulled,
    pullSelect: selectOf(pulled, [d.sequence.field]),
    readable,
    readSelect: selectOf(readable, [d.scope]),
  };
}

function detectDialect(prisma: PrismaLike): SqlDialect {
  const provider = (prisma as unknown as { _activeProvider?: string })._activeProvider;
  if (provider === 'sqlite') return 'sqlite';
  if (provider === 'postgresql' || provider === 'postgres') return 'postgresql';
  throw new Error(`trackhub-sync: cannot tell the database of this Prisma Client (${String(provider)}); pass \`dialect\``);
}

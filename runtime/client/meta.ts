/**
 * Entity metadata the generated registry hands to the client runtime.
 *
 * Plain data derived from the IR at generation time, so the runtime never
 * reads a schema: column names, how each value maps between the local column
 * and the wire (docs/PROTOCOL.md "Values on the wire"), what may be pushed,
 * and the relations used for id translation and push order.
 */

import type { BaseFieldNames, MergeRule, PushMode, QueueOperation, SyncDirection, SyncStrategy, WireScalar } from '../../protocol/index';

export type { PushMode, SyncDirection, SyncStrategy } from '../../protocol/index';

/**
 * How a value is stored locally and carried on the wire.
 * - `string`: String, ID, enum, BigInt, Decimal (digits), Bytes (base64): text both sides.
 * - `number`, `boolean`: the same value both sides.
 * - `date`: milliseconds locally, ISO 8601 UTC string on the wire.
 * - `json`: JSON text locally, a JSON value on the wire (Json fields and scalar lists).
 */
export type ValueKind = 'string' | 'number' | 'boolean' | 'date' | 'json';

export interface FieldMeta {
  /** Schema / wire name (camelCase). */
  name: string;
  /** Local column (snake_case). */
  column: string;
  kind: ValueKind;
  /** Nullable on the server (an optional local column). */
  optional: boolean;
  /**
   * What a client may send: `always` (writable), `create` (an immutable
   * relation key: sent on create only) or `never` (server-managed, readonly,
   * the scope field).
   */
  push: PushMode;
  /** A scalar list (stored as a JSON array); an omitted list is created empty. */
  list?: true;
  /** Value applied locally on create when the input omits the field (the server default). */
  default?: string | number | boolean;
  /**
   * A file field (`@sync.file`, docs/PROTOCOL.md "Media"): on the wire it holds
   * the stored object's key; `adapter.attach` fills it through the uploader.
   */
  file?: FileFieldMeta;
  /**
   * The field's merge rule, on entities whose strategy merges per field
   * (`serverMerge`) and only when it is not `lww`. The server merges pushes
   * by it; a conflict resolved with `merge` re-applies local edits by it
   * (docs/PROTOCOL.md "Conflicts"). `scalar`: the field's wire scalar, which
   * the rule's arithmetic and order need (a `string` column may hold a
   * String, a BigInt or a Decimal).
   */
  merge?: { rule: MergeRule; scalar: WireScalar };
}

/** Limits of a file field, checked by `attach` before anything is written (the server checks them again). */
export interface FileFieldMeta {
  /** Largest accepted file, in bytes. */
  maxBytes?: number;
  /** Accepted content types (`image/*`, `application/pdf`); absent: any. */
  accept?: string[];
}

export interface BelongsToMeta {
  /** Field holding the parent's id (local id on the device, server id on the wire). */
  field: string;
  /** Parent entity name. */
  target: string;
  /**
   * The parent comes later in the registry (a cycle of keys, README
   * "Relations"): a create is pushed with this key unset while the parent has
   * no server id, and the key follows in an update queued behind it.
   */
  deferred?: true;
}

export interface EntityMeta {
  name: string;
  table: string;
  strategy: SyncStrategy;
  direction: SyncDirection;
  /** Isolation field (`tenantId` by default); set locally, never pushed. */
  scope: string;
  /**
   * Base fields the schema names otherwise (config `baseFields`), e.g.
   * `{ version: 'rowVersion' }`; absent when none is renamed. Read through
   * `baseNames` (baseColumns.ts).
   */
  base?: BaseFieldNames;
  /**
   * Every synced field except `id` (the local id is the record id; the server
   * id lives in `server_id`), base fields first.
   */
  fields: FieldMeta[];
  belongsTo: BelongsToMeta[];
  /** Hash of the local table layout; a change (a migration) triggers a full re-pull. */
  layoutHash: string;
}

/** Every synced entity, parents before children (push and pull order). */
export interface SyncRegistry {
  entities: EntityMeta[];
}

/**
 * Validate and freeze a registry: entity names unique, relations pointing at
 * known entities, parents listed before their children unless the key is
 * `deferred` (a cycle).
 */
export function defineRegistry(registry: SyncRegistry): SyncRegistry {
  const seen = new Set<string>();
  const all = new Set(registry.entities.map((e) => e.name));
  for (const entity of registry.entities) children.set(entity, []);
  for (const entity of registry.entities) {
    for (const rel of entity.belongsTo) {
      if (rel.deferred && all.has(rel.target)) continue;
      if (rel.target !== entity.name && !seen.has(rel.target)) {
        throw new Error(
          all.has(rel.target)
            ? `registry: ${entity.name}.${rel.field} refers to ${rel.target}, which is not listed before it (mark the key deferred: true in a cycle)`
            : `registry: ${entity.name}.${rel.field} refers to ${rel.target}, which is not in the registry`,
        );
      }
    }
    if (seen.has(entity.name)) throw new Error(`registry: duplicate entity ${entity.name}`);
    seen.add(entity.name);
    for (const rel of entity.belongsTo) {
      const parent = registry.entities.find((e) => e.name === rel.target)!;
      const column = entity.fields.find((f) => f.name === rel.field)?.column;
      if (column) children.get(parent)!.push({ entity: entity.name, table: entity.table, column });
    }
  }
  return Object.freeze({ entities: Object.freeze([...registry.entities]) as EntityMeta[] });
}

/** A belongsTo relation seen from the parent: the child entity, its table and its (indexed) key column. */
export interface ChildLink {
  entity: string;
  table: string;
  column: string;
}

const children = new WeakMap<EntityMeta, ChildLink[]>();

/** The relations pointing at `meta` from entities of its registry (none when it was never registered). */
export function childLinks(meta: EntityMeta): readonly ChildLink[] {
  return children.get(meta) ?? [];
}

/** The entity's metadata by name; throws for an unknown entity. */
/** Fields a client sends for an operation (immutable relation keys only on insert). */
export function pushable(meta: EntityMeta, op: QueueOperation): FieldMeta[] {
  return meta.fields.filter((f) => f.push === 'always' || (op === 'insert' && f.push === 'create'));
}

export function entityMeta(registry: SyncRegistry, name: string): EntityMeta {
  const meta = registry.entities.find((e) => e.name === name);
  if (!meta) throw new Error(`unknown sync entity '${name}'`);
  return meta;
}

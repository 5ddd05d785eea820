import type { Literal } from '../../emit/tsLiteral';
import { MERGING_STRATEGIES, isOneOf, pushMode as protocolPushMode, type PushMode } from '../../../protocol/index';
import { fieldAccess } from '../../ir/fieldAccess';
import { lowerFirst } from '../../ir/names';
import type { IrEntity, IrField } from '../../ir/types';
import { fileLiteral } from '../fileLiteral';
import { entityColumns, localFields, mapField } from '../watermelon/index';

/** How the client runtime maps a field (runtime/client/meta.ts `ValueKind`). */
export function valueKind(field: IrField): 'string' | 'number' | 'boolean' | 'date' | 'json' {
  const m = mapField(field);
  if (m.decorator === 'date') return 'date';
  if (m.decorator === 'json') return 'json';
  return m.columnType;
}

/** What a client sends for a field, from the protocol's access rule (protocol/fieldAccess.ts). */
export function pushMode(entity: IrEntity, field: IrField): PushMode {
  return protocolPushMode(fieldAccess(entity, field));
}

/** Fields the runtime knows about: local fields (no `id`, no ignored field). */
export function metaFields(entity: IrEntity): IrField[] {
  return localFields(entity);
}

/** The `FieldMeta` of a field (runtime/client/meta.ts), as data for the serializer. */
export function fieldMeta(entity: IrEntity, field: IrField): Literal {
  return {
    name: field.name,
    column: field.column,
    kind: valueKind(field),
    optional: !field.isRequired,
    push: pushMode(entity, field),
    list: field.isList || undefined,
    default: field.default?.kind === 'value' ? field.default.value : undefined,
    file: field.file ? fileLiteral(field.file) : undefined,
    // A merging entity's field rule other than lww: a conflict resolved by `merge` re-applies local edits by it.
    merge:
      isOneOf(MERGING_STRATEGIES, entity.strategy) && field.merge !== 'lww'
        ? { rule: field.merge, scalar: field.type.kind === 'enum' ? 'Enum' : field.type.scalar }
        : undefined,
  };
}

/** The `EntityMeta` of an entity (runtime/client/meta.ts), as data for the serializer. */
export function entityMeta(entity: IrEntity, deferred?: ReadonlySet<string>): Literal {
  return {
    name: entity.name,
    table: entity.table,
    strategy: entity.strategy,
    direction: entity.direction,
    scope: entity.scope,
    // Base fields under other names (config baseFields): the runtime finds their columns and wire keys here.
    ...(entity.baseFields ? { base: { ...entity.baseFields } } : {}),
    layoutHash: layoutHash(entity),
    fields: metaFields(entity).map((f) => fieldMeta(entity, f)),
    // A key into a cycle is `deferred`: set in a follow-up update once the parent has a server id (order.ts).
    belongsTo: entity.relations
      .filter((r) => r.kind === 'belongsTo')
      .map((r) => ({ field: r.foreignKey, target: r.target, ...(deferred?.has(r.foreignKey) ? { deferred: true } : {}) })),
  };
}

/**
 * A short hash of the entity's local table layout (FNV-1a, 32 bit). When a
 * migration adds a column, the hash changes and the engine re-pulls the
 * entity from scratch (README "Migrations").
 */
export function layoutHash(entity: IrEntity): string {
  const text = `${entity.table}|${entityColumns(entity)
    .map((c) => `${c.name}:${c.type}:${c.isOptional ? 1 : 0}`)
    .join(',')}`;
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** `Space` -> `spaceMeta`, `TaskItem` -> `taskItemMeta`. */
export function metaName(entity: IrEntity): string {
  return `${lowerFirst(entity.name)}Meta`;
}

import type { IrEntity, IrField } from '../../ir/types';

/** Name of the per-row change-sequence field the server target looks for. */
export const SEQUENCE_FIELD = 'syncSeq';

/** Push access of a field; mirrors `FieldAccess` in runtime/server/types.ts. */
export type FieldAccess = 'writable' | 'createOnly' | 'readonly' | 'server' | 'ignored';

/**
 * What a client may do with a field (SPEC §2, §4):
 * `@sync.ignore` never leaves the server; id, clientId (sent in the push
 * envelope), version, updatedAt, deletedAt and the scope field are the
 * server's; `@sync.readonly` is pulled only, except a relation key, which is
 * set on create and then immutable.
 */
export function fieldAccess(entity: IrEntity, field: IrField): FieldAccess {
  if (field.ignore) return 'ignored';
  if (field.isId || field.serverManaged || field.name === 'clientId' || field.name === entity.scope) return 'server';
  if (field.readonly) {
    const isKey = entity.relations.some((r) => r.kind === 'belongsTo' && r.foreignKey === field.name);
    return isKey ? 'createOnly' : 'readonly';
  }
  return 'writable';
}

/** Fields a push may carry in `data`. */
export function pushableFields(entity: IrEntity): IrField[] {
  return entity.fields.filter((f) => {
    const access = fieldAccess(entity, f);
    return access === 'writable' || access === 'createOnly';
  });
}

/** Fields that leave the server in a pull. */
export function pulledFields(entity: IrEntity): IrField[] {
  return entity.fields.filter((f) => !f.ignore);
}

export function sequenceField(entity: IrEntity): IrField | undefined {
  return entity.fields.find((f) => f.name === SEQUENCE_FIELD);
}

/** True when an entity accepts pushes. */
export function isPushable(entity: IrEntity): boolean {
  return entity.direction === 'bidirectional';
}

import type { IrEntity, IrField } from './types';

/** Push access of a field; mirrors `FieldAccess` in runtime/server/types.ts. */
export type FieldAccess = 'writable' | 'createOnly' | 'readonly' | 'server' | 'ignored';

/**
 * What a client may do with a field (SPEC §2, §4), the one rule both the
 * server (validation) and the client (what it pushes) are generated from:
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

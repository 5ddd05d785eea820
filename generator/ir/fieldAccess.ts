import { fieldAccess as accessRule, type FieldAccess } from '../../protocol/index';
import type { IrEntity, IrField } from './types';

export type { FieldAccess } from '../../protocol/index';

/** The protocol's access rule (protocol/fieldAccess.ts) applied to an IR field. */
export function fieldAccess(entity: IrEntity, field: IrField): FieldAccess {
  const isRelationKey = entity.relations.some((r) => r.kind === 'belongsTo' && r.foreignKey === field.name);
  // With renamed base fields (config baseFields) the role decides, not the name: a user field `version` is writable.
  const baseRole = entity.baseFields ? (field.isBase ? (field.baseRole ?? field.name) : null) : undefined;
  return accessRule({ ...field, isRelationKey, baseRole }, entity.scope);
}

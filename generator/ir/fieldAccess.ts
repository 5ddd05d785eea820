import { fieldAccess as accessRule, type FieldAccess } from '../../protocol/index';
import type { IrEntity, IrField } from './types';

export type { FieldAccess } from '../../protocol/index';

/** The protocol's access rule (protocol/fieldAccess.ts) applied to an IR field. */
export function fieldAccess(entity: IrEntity, field: IrField): FieldAccess {
  const isRelationKey = entity.relations.some((r) => r.kind === 'belongsTo' && r.foreignKey === field.name);
  return accessRule({ ...field, isRelationKey }, entity.scope);
}

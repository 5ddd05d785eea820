import { fieldAccess as accessRule, type FieldAccess } from '../../protocol/index';
import type { IrEntity, IrField } from './types';

export type { FieldAccess } from '../../protocol/index';

// Asked per field by several targets (push modes, validators, pulled fields, SDL): the IR is
// immutable (deep-frozen by buildIr), so each answer is computed once per entity and field.
const known = new WeakMap<IrEntity, Map<IrField, FieldAccess>>();

/** The protocol's access rule (protocol/fieldAccess.ts) applied to an IR field. */
export function fieldAccess(entity: IrEntity, field: IrField): FieldAccess {
  let byField = known.get(entity);
  if (!byField) known.set(entity, (byField = new Map()));
  let access = byField.get(field);
  if (access === undefined) byField.set(field, (access = computeAccess(entity, field)));
  return access;
}

function computeAccess(entity: IrEntity, field: IrField): FieldAccess {
  const isRelationKey = entity.relations.some((r) => r.kind === 'belongsTo' && r.foreignKey === field.name);
  // With renamed base fields (config baseFields) the role decides, not the name: a user field `version` is writable.
  const baseRole = entity.baseFields ? (field.isBase ? (field.baseRole ?? field.name) : null) : undefined;
  return accessRule({ ...field, isRelationKey, baseRole }, entity.scope);
}

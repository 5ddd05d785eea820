import { pulledFields as pulledBy } from '../../../protocol/index';
import { fieldAccess } from '../../ir/fieldAccess';
import type { IrEntity, IrField } from '../../ir/types';

/** Name of the per-row change-sequence field the server target looks for. */
export const SEQUENCE_FIELD = 'syncSeq';

export { fieldAccess, type FieldAccess } from '../../ir/fieldAccess';

/** Fields a push may carry in `data`. */
export function pushableFields(entity: IrEntity): IrField[] {
  return entity.fields.filter((f) => {
    const access = fieldAccess(entity, f);
    return access === 'writable' || access === 'createOnly';
  });
}

/** Fields that leave the server in a pull. */
export function pulledFields(entity: IrEntity): IrField[] {
  return pulledBy(entity.fields, (f) => fieldAccess(entity, f));
}

export function sequenceField(entity: IrEntity): IrField | undefined {
  return entity.fields.find((f) => f.name === SEQUENCE_FIELD);
}

/** True when an entity accepts pushes. */
export function isPushable(entity: IrEntity): boolean {
  return entity.direction === 'bidirectional';
}

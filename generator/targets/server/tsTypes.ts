import type { Ir, IrEntity } from '../../ir/types';
import { isPushable, pulledFields, pushableFields } from './fieldAccess';
import { fieldMapping } from './typeMapping';

export interface TsEntityView {
  name: string;
  fields: string[];
  pushable: boolean;
  inputFields: string[];
}

/** TypeScript wire types of an entity for `server/resolverTypes.ts`. */
export function tsEntityView(ir: Ir, entity: IrEntity): TsEntityView {
  const enums = new Map(ir.enums.map((e) => [e.name, e.values]));
  const inputFields = isPushable(entity) ? pushableFields(entity).map((f) => `${f.name}?: ${fieldMapping(f, enums).ts} | null;`) : [];
  return {
    name: entity.name,
    fields: pulledFields(entity).map((f) => `${f.name}: ${fieldMapping(f, enums).ts}${f.isRequired || f.isList ? '' : ' | null'};`),
    pushable: isPushable(entity) && inputFields.length > 0,
    inputFields,
  };
}

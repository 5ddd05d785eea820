import type { Ir, IrEntity } from '../../ir/types';
import { fieldAccess, isPushable, pulledFields, pushableFields } from './fieldAccess';
import { fieldMapping } from './typeMapping';

export interface SdlEntityView {
  name: string;
  doc: string;
  /** `name: String!` lines of the pulled record type. */
  fields: string[];
  pushable: boolean;
  /** `name: String` lines of the push data input (all optional: updates carry changed fields only). */
  inputFields: string[];
}

export interface SdlView {
  enums: { name: string; values: string[] }[];
  entities: SdlEntityView[];
  pushable: SdlEntityView[];
  /** Declare the media operations (`syncUploadTicket`, `syncFileUrl`). */
  files: boolean;
}

/** The view of `server/schema.graphql` (docs/PROTOCOL.md, with its typed operations). */
export function sdlView(ir: Ir): SdlView {
  const enums = new Map(ir.enums.map((e) => [e.name, e.values]));
  const entities = ir.entities.map((entity): SdlEntityView => {
    const inputFields = isPushable(entity) ? pushableFields(entity).map((f) => `${f.name}: ${fieldMapping(f, enums).graphql}`) : [];
    return {
      name: entity.name,
      doc: describe(entity),
      fields: pulledFields(entity).map((f) => `${f.name}: ${fieldMapping(f, enums).graphql}${f.isRequired || f.isList ? '!' : ''}`),
      pushable: isPushable(entity) && inputFields.length > 0,
      inputFields,
    };
  });
  return {
    enums: ir.enums.map((e) => ({ name: e.name, values: e.values })),
    entities,
    pushable: entities.filter((e) => e.pushable),
    files: hasFileFields(ir),
  };
}

/** Some entity has a `@sync.file` field: the API gains the upload ticket and read URL operations (docs/PROTOCOL.md "Media"). */
export function hasFileFields(ir: Ir): boolean {
  return ir.entities.some((e) => e.fields.some((f) => f.file && !f.ignore));
}

function describe(entity: IrEntity): string {
  const readonly = entity.fields.filter((f) => fieldAccess(entity, f) === 'readonly').map((f) => f.name);
  const parts = [`${entity.name}: ${entity.strategy}, ${entity.direction}`];
  if (readonly.length > 0) parts.push(`read-only: ${readonly.join(', ')}`);
  return parts.join('; ');
}

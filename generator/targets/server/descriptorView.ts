import { createHash } from 'node:crypto';
import type { ResolvedConfig } from '../../config';
import { lowerFirst } from '../../ir/names';
import type { Ir, IrEntity, IrField } from '../../ir/types';
import { fieldAccess, isPushable, pulledFields, pushableFields, sequenceField } from './fieldAccess';
import { fieldMapping, runtimeType } from './typeMapping';

export interface EntityFileView {
  name: string;
  delegate: string;
  table: string;
  strategy: string;
  direction: string;
  scope: string;
  pageSize: number;
  versionHash: string;
  /** One object literal per field. */
  fields: string[];
  relations: string[];
  sequence: string;
  pushable: boolean;
}

/** The entity descriptors of `server/entities.ts`, as literals the template prints. */
export function entityFileView(ir: Ir, entity: IrEntity, config: Pick<ResolvedConfig, 'server'>): EntityFileView {
  const seq = sequenceField(entity);
  const synced = new Set(ir.entities.map((e) => e.name));
  return {
    name: entity.name,
    delegate: lowerFirst(entity.name),
    table: entity.dbName ?? entity.name,
    strategy: entity.strategy,
    direction: entity.direction,
    scope: entity.scope,
    pageSize: Math.min(config.server.pageSize.perEntity[entity.name] ?? config.server.pageSize.default, config.server.pageSize.max),
    versionHash: versionHash(ir, entity),
    fields: entity.fields.map((f) => fieldLiteral(entity, f)),
    relations: entity.relations
      .filter((r) => r.kind === 'belongsTo' && synced.has(r.target))
      .map((r) => `{ field: '${r.foreignKey}', target: '${r.target}' }`),
    sequence: seq ? `{ field: '${seq.name}', column: '${seq.dbName ?? seq.name}' }` : 'null',
    pushable: isPushable(entity),
  };
}

function fieldLiteral(entity: IrEntity, f: IrField): string {
  const parts = [
    `name: '${f.name}'`,
    `column: '${f.dbName ?? f.name}'`,
    `type: '${runtimeType(f)}'`,
    ...(f.type.kind === 'enum' ? [`enumName: '${f.type.enum}'`] : []),
    `isList: ${f.isList}`,
    `isRequired: ${f.isRequired}`,
    `access: '${fieldAccess(entity, f)}'`,
    `merge: '${f.merge}'`,
    `default: ${f.default ? defaultLiteral(f.default) : 'null'}`,
  ];
  return `{ ${parts.join(', ')} }`;
}

function defaultLiteral(d: NonNullable<IrField['default']>): string {
  return d.kind === 'value' ? `{ kind: 'value', value: ${JSON.stringify(d.value).replace(/"/g, "'")} }` : `{ kind: 'function', name: '${d.name}' }`;
}

/**
 * A short hash of what a pull returns for the entity (field names, types,
 * nullability). Clients store it (`sync_state.version_hash`); a change means
 * the shape moved and a full re-pull is due.
 */
function versionHash(ir: Ir, entity: IrEntity): string {
  const enums = new Map(ir.enums.map((e) => [e.name, e.values]));
  const shape = pulledFields(entity).map((f) => `${f.name}:${fieldMapping(f, enums).graphql}${f.isRequired ? '!' : ''}`);
  return createHash('sha256').update(`${entity.name}|${shape.join(',')}`).digest('hex').slice(0, 16);
}

export interface ValidatorView {
  name: string;
  create: string[];
  update: string[];
}

/** zod schemas of push data per entity: types, required fields on create, nothing unknown. */
export function validatorView(ir: Ir, entity: IrEntity): ValidatorView {
  const enums = new Map(ir.enums.map((e) => [e.name, e.values]));
  const fields = pushableFields(entity);
  return {
    name: entity.name,
    create: fields.map((f) => {
      const zod = fieldMapping(f, enums).zod;
      const optional = !f.isRequired || f.default !== null || f.isList;
      return `${f.name}: ${zod}${f.isRequired ? '' : '.nullable()'}${optional ? '.optional()' : ''},`;
    }),
    update: fields.map((f) => `${f.name}: ${fieldMapping(f, enums).zod}${f.isRequired ? '' : '.nullable()'}.optional(),`),
  };
}

import { createHash } from 'node:crypto';
import type { ResolvedConfig } from '../../config';
import type { Literal } from '../../emit/tsLiteral';
import { lowerFirst } from '../../ir/names';
import type { Ir, IrEntity, IrField } from '../../ir/types';
import { fileLiteral } from '../fileLiteral';
import { fieldAccess, pulledFields, pushableFields, sequenceField } from './fieldAccess';
import { postgresType } from './nativeType';
import { fieldMapping, runtimeType } from './typeMapping';

/**
 * The `SyncEntitySpec` of an entity (runtime/server/types.ts) as data for the
 * serializer: a property at its runtime default is left out.
 */
export function entitySpec(ir: Ir, entity: IrEntity, config: Pick<ResolvedConfig, 'server'>): Literal {
  const seq = sequenceField(entity);
  const synced = new Set(ir.entities.map((e) => e.name));
  const relations = entity.relations
    .filter((r) => r.kind === 'belongsTo' && synced.has(r.target))
    .map((r) => ({ field: r.foreignKey, target: r.target }));
  return {
    name: entity.name,
    delegate: lowerFirst(entity.name),
    table: entity.dbName ?? entity.name,
    strategy: entity.strategy,
    direction: entity.direction,
    scope: entity.scope,
    ...(entity.baseFields ? { base: { ...entity.baseFields } } : {}),
    pageSize: Math.min(config.server.pageSize.perEntity[entity.name] ?? config.server.pageSize.default, config.server.pageSize.max),
    versionHash: versionHash(ir, entity),
    sequence: seq ? { field: seq.name, column: seq.dbName ?? undefined } : null,
    relations: relations.length > 0 ? relations : undefined,
    fields: entity.fields.map((f) => fieldSpec(ir, entity, f)),
  };
}

/** A `SyncFieldSpec`: name and type, then only what differs from the defaults. */
function fieldSpec(ir: Ir, entity: IrEntity, f: IrField): Literal {
  const access = fieldAccess(entity, f);
  const enumType = f.type.kind === 'enum' ? f.type.enum : null;
  const irEnum = ir.enums.find((e) => e.name === enumType);
  return {
    name: f.name,
    type: runtimeType(f),
    column: f.dbName ?? undefined,
    // The database names: `@@map` on the enum, `@map` on its values, `@db.*` on the column.
    enumName: enumType ? (irEnum?.dbName ?? enumType) : undefined,
    enumValues: irEnum?.dbValues ? { ...irEnum.dbValues } : undefined,
    dbType: f.nativeType ? postgresType(f.nativeType) : undefined,
    stampedOnWrite: f.stampedOnWrite ? true : undefined,
    isList: f.isList || undefined,
    isRequired: f.isRequired || undefined,
    access: access === 'writable' ? undefined : access,
    merge: f.merge === 'lww' ? undefined : f.merge,
    default: f.default ?? undefined,
    file: f.file ? fileLiteral(f.file) : undefined,
  };
}

/**
 * A short hash of what a pull returns for the entity (field names, types,
 * nullability). Clients store it (`sync_state.version_hash`); a change means
 * the shape moved and a full re-pull is due.
 */
function versionHash(ir: Ir, entity: IrEntity): string {
  const enums = new Map(ir.enums.map((e) => [e.name, e.values]));
  const shape = pulledFields(entity).map((f) => `${f.name}:${fieldMapping(f, enums).graphql}${f.isRequired ? '!' : ''}`);
  return createHash('sha256')
    .update(`${entity.name}|${shape.join(',')}`)
    .digest('hex')
    .slice(0, 16);
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

import type { FieldDefault, SourceLocation } from '../../ir/types';
import type { FieldFacts } from '../facts';

export const BASE_ENTITY_INTERFACE = 'CrtBaseEntity';

/**
 * The fields a type gains by `implements CrtBaseEntity` without repeating
 * them; identical to schema/directives.graphql and schema/base-fields.prisma.
 */
const FIELDS: [name: string, type: string, kind: FieldFacts['kind'], required: boolean][] = [
  ['id', 'String', 'scalar', true],
  ['clientId', 'String', 'scalar', false],
  ['version', 'Int', 'scalar', true],
  ['updatedAt', 'DateTime', 'scalar', false],
  ['deletedAt', 'DateTime', 'scalar', false],
  ['status', 'E_COMMON_STATUS', 'enum', false],
  ['spaceId', 'String', 'scalar', false],
  ['rootSpaceId', 'String', 'scalar', false],
  ['createdAt', 'DateTime', 'scalar', false],
  ['createdBy', 'String', 'scalar', false],
  ['updatedBy', 'String', 'scalar', false],
  ['tenantId', 'String', 'scalar', false],
  ['projectId', 'String', 'scalar', false],
  ['refProjectId', 'String', 'scalar', false],
];

/** Defaults of schema/base-fields.prisma, so SDL and Prisma base fields are the same facts. */
const DEFAULTS: Record<string, FieldDefault> = {
  id: { kind: 'function', name: 'uuid' },
  version: { kind: 'value', value: 1 },
  createdAt: { kind: 'function', name: 'now' },
};

export const BASE_STATUS_ENUM = { name: 'E_COMMON_STATUS', values: ['ACTIVE', 'INACTIVE', 'PUBLIC'] };

export function baseEntityFields(at: SourceLocation): FieldFacts[] {
  return FIELDS.map(([name, typeName, kind, isRequired]) => ({
    name,
    typeName,
    kind,
    isList: false,
    isRequired,
    isId: name === 'id',
    isUnique: name === 'clientId',
    isUpdatedAt: name === 'updatedAt',
    default: DEFAULTS[name] ?? null,
    dbName: null,
    relation: null,
    annotations: [],
    location: at,
    typeLocation: at,
    implicit: true,
  }));
}

import type { SyncEntityDescriptor, SyncEntitySpec, SyncFieldDescriptor, SyncFieldSpec } from './types';

/** The full field descriptor of a generated field spec (defaults in `SyncFieldSpec`). */
export function describeField(spec: SyncFieldSpec): SyncFieldDescriptor {
  return {
    name: spec.name,
    column: spec.column ?? spec.name,
    type: spec.type,
    ...(spec.enumName !== undefined ? { enumName: spec.enumName } : {}),
    ...(spec.enumValues !== undefined ? { enumValues: spec.enumValues } : {}),
    ...(spec.dbType !== undefined ? { dbType: spec.dbType } : {}),
    ...(spec.stampedOnWrite ? { stampedOnWrite: true as const } : {}),
    isList: spec.isList ?? false,
    isRequired: spec.isRequired ?? false,
    access: spec.access ?? 'writable',
    merge: spec.merge ?? 'lww',
    default: spec.default ?? null,
    ...(spec.file ? { file: spec.file } : {}),
  };
}

/** The full descriptor of a generated entity spec: every default filled in, nothing else changed. */
export function describeEntity(spec: SyncEntitySpec): SyncEntityDescriptor {
  return {
    ...spec,
    base: { clientId: 'clientId', version: 'version', updatedAt: 'updatedAt', deletedAt: 'deletedAt', ...spec.base },
    fields: spec.fields.map(describeField),
    relations: [...(spec.relations ?? [])],
    sequence: spec.sequence ? { field: spec.sequence.field, column: spec.sequence.column ?? spec.sequence.field } : null,
  };
}

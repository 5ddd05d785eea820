import { readFileSync } from 'node:fs';
import { Kind, parse, type EnumTypeDefinitionNode, type InterfaceTypeDefinitionNode } from 'graphql';
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as irTypes from '../generator/ir/types';
import { snakeCase } from '../generator/ir/names';
import * as protocol from '../protocol/index';
import type { EntityMeta, FieldMeta } from '../runtime/client/meta';
import type { QueueEntry } from '../runtime/client/queue';
import type { RequestErrorCode } from '../runtime/server/errors';
import type { PushItem, SyncEntityDescriptor, SyncFieldDescriptor, SyncResultItem, ConflictPayload, AuthorizeFn } from '../runtime/server/types';
import { entities as exampleEntities } from '../examples/trackhub-core/generated/server/entities';
import { registry as exampleRegistry } from '../examples/trackhub-core/generated/client/registry';

const root = new URL('..', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const constant = (words: readonly string[]) => words.map((w) => snakeCase(w).toUpperCase());

// The protocol module is the one declaration of the contract; everything else is checked against it.
describe('protocol module: the single source of the sync vocabulary', () => {
  const directives = parse(read('schema/directives.graphql'));
  const enumValues = (name: string) =>
    (
      directives.definitions.find((d) => d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === name) as EnumTypeDefinitionNode | undefined
    )?.values?.map((v) => v.name.value);

  it('schema/directives.graphql spells the strategies, directions and merge rules of the protocol', () => {
    expect(enumValues('SyncStrategy')).toEqual(constant(protocol.SYNC_STRATEGIES));
    expect(enumValues('SyncDirection')).toEqual(constant(protocol.SYNC_DIRECTIONS));
    expect(enumValues('SyncMergeRule')).toEqual(constant(protocol.MERGE_RULES));
  });

  it('CrtBaseEntity in directives.graphql and base-fields.prisma is the base-field table', () => {
    const iface = directives.definitions.find(
      (d): d is InterfaceTypeDefinitionNode => d.kind === Kind.INTERFACE_TYPE_DEFINITION && d.name.value === 'CrtBaseEntity',
    );
    expect(iface?.fields?.map((f) => f.name.value)).toEqual(protocol.BASE_FIELDS);
    const model = /model CrtBaseEntity \{([^}]*)\}/.exec(read('schema/base-fields.prisma'))![1]!;
    const lines = model
      .split('\n')
      .map((l) => l.trim().replace(/\s+/g, ' '))
      .filter((l) => l && !l.startsWith('@@'));
    expect(lines).toEqual(protocol.BASE_FIELD_TABLE.map((f) => f.prisma));
  });

  it('the generated SDL enumerates the push operations', () => {
    const sdl = parse(read('examples/trackhub-core/generated/server/schema.graphql'));
    const op = sdl.definitions.find((d): d is EnumTypeDefinitionNode => d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === 'SyncOp');
    expect(op?.values?.map((v) => v.name.value)).toEqual(protocol.PUSH_OPERATIONS);
  });

  it('the generator IR re-exports the protocol vocabularies instead of copying them', () => {
    expect(irTypes.SYNC_STRATEGIES).toBe(protocol.SYNC_STRATEGIES);
    expect(irTypes.SYNC_DIRECTIONS).toBe(protocol.SYNC_DIRECTIONS);
    expect(irTypes.MERGE_RULES).toBe(protocol.MERGE_RULES);
    expect(irTypes.SCALAR_TYPES).toBe(protocol.SCALAR_TYPES);
    expect(irTypes.BASE_FIELDS).toBe(protocol.BASE_FIELDS);
    expect(irTypes.REQUIRED_BASE_FIELDS).toBe(protocol.REQUIRED_BASE_FIELDS);
    expectTypeOf<irTypes.IrEntity['strategy']>().toEqualTypeOf<protocol.SyncStrategy>();
    expectTypeOf<irTypes.IrEntity['direction']>().toEqualTypeOf<protocol.SyncDirection>();
    expectTypeOf<irTypes.IrField['merge']>().toEqualTypeOf<protocol.MergeRule>();
  });

  it('the runtimes type their descriptors with the protocol vocabularies (checked by tsc)', () => {
    expectTypeOf<SyncEntityDescriptor['strategy']>().toEqualTypeOf<protocol.SyncStrategy>();
    expectTypeOf<SyncEntityDescriptor['direction']>().toEqualTypeOf<protocol.SyncDirection>();
    expectTypeOf<SyncFieldDescriptor['merge']>().toEqualTypeOf<protocol.MergeRule>();
    expectTypeOf<SyncFieldDescriptor['access']>().toEqualTypeOf<protocol.FieldAccess>();
    expectTypeOf<SyncFieldDescriptor['type']>().toEqualTypeOf<protocol.WireScalar>();
    expectTypeOf<PushItem['op']>().toEqualTypeOf<protocol.PushOperation>();
    expectTypeOf<NonNullable<SyncResultItem['errorCode']>>().toEqualTypeOf<protocol.SyncErrorCode>();
    expectTypeOf<ConflictPayload['conflictType']>().toEqualTypeOf<protocol.ConflictType>();
    expectTypeOf<Parameters<AuthorizeFn>[2]>().toEqualTypeOf<protocol.SyncOperation>();
    expectTypeOf<EntityMeta['strategy']>().toEqualTypeOf<protocol.SyncStrategy>();
    expectTypeOf<EntityMeta['direction']>().toEqualTypeOf<protocol.SyncDirection>();
    expectTypeOf<FieldMeta['push']>().toEqualTypeOf<protocol.PushMode>();
    expectTypeOf<QueueEntry['operation']>().toEqualTypeOf<protocol.QueueOperation>();
    expectTypeOf<QueueEntry['status']>().toEqualTypeOf<protocol.QueueStatus>();
    expectTypeOf<RequestErrorCode>().toEqualTypeOf<protocol.RequestErrorCode>();
    // File fields (docs/PROTOCOL.md "Media"): one shape in the IR and both descriptors.
    expectTypeOf<SyncFieldDescriptor['file']>().toEqualTypeOf<FieldMeta['file']>();
    expectTypeOf<NonNullable<SyncFieldDescriptor['file']>>().toEqualTypeOf<irTypes.IrFileSpec>();
  });

  it('schema/directives.graphql declares one directive per field annotation of the generator', () => {
    const names = directives.definitions.flatMap((d) => (d.kind === Kind.DIRECTIVE_DEFINITION ? [d.name.value] : []));
    expect(names).toEqual(['sync', 'syncIgnore', 'syncReadonly', 'syncMerge', 'syncIndex', 'syncFile', 'syncRelation']);
    expect(protocol.REQUEST_ERROR_CODES).toContain('FORBIDDEN');
  });

  it('generated descriptors and registries use only protocol words', () => {
    for (const { descriptor } of exampleEntities) {
      expect(protocol.SYNC_STRATEGIES).toContain(descriptor.strategy);
      expect(protocol.SYNC_DIRECTIONS).toContain(descriptor.direction);
      for (const f of descriptor.fields) {
        expect(protocol.WIRE_SCALARS).toContain(f.type);
        expect(protocol.FIELD_ACCESS).toContain(f.access ?? 'writable');
        expect(protocol.MERGE_RULES).toContain(f.merge ?? 'lww');
      }
    }
    for (const meta of exampleRegistry.entities) {
      expect(protocol.SYNC_STRATEGIES).toContain(meta.strategy);
      for (const f of meta.fields) expect(protocol.PUSH_MODES).toContain(f.push);
    }
  });
});

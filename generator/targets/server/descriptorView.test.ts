import { describe, expect, it } from 'vitest';
import type { Ir, IrEntity, IrField } from '../../ir/types';
import { entitySpec, validatorView } from './descriptorView';
import { fieldAccess } from './fieldAccess';

const loc = { file: 'schema.prisma', line: 1, column: 1 };
const field = (name: string, over: Partial<IrField> = {}): IrField => ({
  name,
  column: name,
  dbName: null,
  type: { kind: 'scalar', scalar: 'String' },
  isList: false,
  isRequired: false,
  isId: false,
  isUnique: false,
  isBase: false,
  default: null,
  serverManaged: false,
  ignore: false,
  readonly: false,
  merge: 'lww',
  index: false,
  location: loc,
  ...over,
});
const entity: IrEntity = {
  name: 'Note',
  table: 'notes',
  dbName: 'note_rows',
  strategy: 'serverMerge',
  direction: 'bidirectional',
  scope: 'tenantId',
  fields: [
    field('id', { isId: true, serverManaged: true, isRequired: true }),
    field('clientId'),
    field('version', { serverManaged: true, type: { kind: 'scalar', scalar: 'Int' } }),
    field('tenantId'),
    field('syncSeq', { ignore: true, dbName: 'sync_seq', type: { kind: 'scalar', scalar: 'BigInt' } }),
    field('title', { isRequired: true }),
    field('body', { dbName: 'body_text' }),
    field('likes', { isRequired: true, default: { kind: 'value', value: 0 }, merge: 'counter', type: { kind: 'scalar', scalar: 'Int' } }),
    field('views', { readonly: true, type: { kind: 'scalar', scalar: 'Int' } }),
    field('bookId', { readonly: true }),
  ],
  relations: [{ name: 'book', kind: 'belongsTo', target: 'Book', foreignKey: 'bookId', immutable: true, isRequired: false, location: loc }],
  location: loc,
};
const ir: Ir = { entities: [entity], enums: [], sources: [] };
const config = { server: { pageSize: { default: 1000, max: 300, perEntity: { Note: 500 } }, maxBatch: 100, tombstoneHorizonDays: 30 } };

describe('server entity descriptors', () => {
  it('decides each field’s push access from the annotations', () => {
    const access = Object.fromEntries(entity.fields.map((f) => [f.name, fieldAccess(entity, f)]));
    expect(access).toEqual({
      id: 'server',
      clientId: 'server',
      version: 'server',
      tenantId: 'server',
      syncSeq: 'ignored',
      title: 'writable',
      body: 'writable',
      likes: 'writable',
      views: 'readonly',
      bookId: 'createOnly',
    });
  });

  it('maps tables and columns, finds the sequence, and caps the per-entity page size', () => {
    const spec = entitySpec(ir, entity, config) as Record<string, unknown> & { fields: Record<string, unknown>[] };
    expect(spec).toMatchObject({ table: 'note_rows', delegate: 'note', pageSize: 300, sequence: { field: 'syncSeq', column: 'sync_seq' } });
    expect(spec.fields.find((f) => f.name === 'body')).toMatchObject({ column: 'body_text' });
    // Defaults are left out: a writable, optional, lww String is its name and type.
    expect(spec.fields.find((f) => f.name === 'title')).toEqual({ name: 'title', type: 'String', isRequired: true });
    expect(spec.fields.find((f) => f.name === 'likes')).toEqual({
      name: 'likes',
      type: 'Int',
      isRequired: true,
      merge: 'counter',
      default: { kind: 'value', value: 0 },
    });
    expect(spec.relations).toBeUndefined(); // Book is not a synced entity here
    const capped = entitySpec(ir, entity, { server: { ...config.server, pageSize: { default: 1000, max: 5000, perEntity: { Note: 500 } } } });
    expect((capped as { pageSize: number }).pageSize).toBe(500);
  });

  it('requires on create only required fields without a default', () => {
    const view = validatorView(ir, entity);
    expect(view.create).toEqual([
      'title: z.string(),',
      'body: z.string().nullable().optional(),',
      'likes: z.int32().optional(),',
      'bookId: z.string().nullable().optional(),',
    ]);
    expect(view.update.every((line) => line.endsWith('.optional(),'))).toBe(true);
  });
});

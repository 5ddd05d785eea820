import { describe, expect, it } from 'vitest';
import type { SyncFieldDescriptor } from '../types';
import { appendMerge, resolveUpdate, unionMerge, type ResolveInput } from './merge';

const field = (name: string, merge: SyncFieldDescriptor['merge'], type: SyncFieldDescriptor['type'] = 'Int'): [string, SyncFieldDescriptor] => [
  name,
  { name, column: name, type, isList: false, isRequired: false, access: 'writable', merge, default: null },
];
const fields = new Map([
  field('n', 'counter'),
  field('hi', 'max'),
  field('lo', 'min'),
  field('tags', 'union', 'Json'),
  field('log', 'append', 'Json'),
  field('owner', 'manual', 'String'),
  field('title', 'lww', 'String'),
]);

const input = (over: Partial<ResolveInput>): ResolveInput => ({
  strategy: 'serverMerge',
  fields,
  server: { n: 10, hi: 5, lo: 5, tags: ['a'], log: ['x'], owner: 'ann', title: 't', updatedAt: '2025-01-01T00:00:00.000Z' },
  serverVersion: 3,
  serverUpdatedAt: '2025-01-01T00:00:00.000Z',
  changes: {},
  base: {},
  baseVersion: 2,
  clientUpdatedAt: '2025-01-01T00:00:01.000Z',
  ...over,
});

describe('resolveUpdate', () => {
  it('applies changes as sent when the base version is current, whatever the strategy', () => {
    for (const strategy of ['lastWriteWins', 'serverMerge', 'manual'] as const) {
      expect(resolveUpdate(input({ strategy, baseVersion: 3, changes: { title: 'new' } }))).toEqual({ kind: 'apply', values: { title: 'new' } });
    }
  });

  it('serverMerge merges a current base version whose base values are older than the server record (no increment or append dropped)', () => {
    // The client's record claims version 3, but its edit started from the values of an older one.
    const result = resolveUpdate(input({ baseVersion: 3, changes: { n: 13, log: ['x', 'mine'] }, base: { n: 8, log: ['x'] } }));
    expect(result).toEqual({ kind: 'apply', values: { n: 15, log: ['x', 'mine'] } });
    // Base values equal to the server's: applied as sent (a lower max included).
    expect(resolveUpdate(input({ baseVersion: 3, changes: { n: 12, hi: 1 }, base: { n: 10, hi: 5 } }))).toEqual({
      kind: 'apply',
      values: { n: 12, hi: 1 },
    });
  });

  it('serverMerge merges each field by its rule against the base', () => {
    const result = resolveUpdate(
      input({
        changes: { n: 7, hi: 9, lo: 6, tags: ['a', 'b'], log: ['y', 'z'], owner: 'ann', title: 'client' },
        base: { n: 4, hi: 1, lo: 1, tags: [], log: ['y'], owner: 'ann', title: 't' },
      }),
    );
    expect(result).toEqual({ kind: 'apply', values: { n: 13, hi: 9, lo: 5, tags: ['a', 'b'], log: ['x', 'z'], owner: 'ann', title: 'client' } });
  });

  it('serverMerge: an lww field both sides changed keeps the later write', () => {
    const older = resolveUpdate(input({ changes: { title: 'client' }, base: { title: 'base' }, clientUpdatedAt: '2024-01-01T00:00:00.000Z' }));
    expect(older).toEqual({ kind: 'apply', values: { title: 't' } });
  });

  it('serverMerge: a manual field changed differently on both sides is a conflict', () => {
    const result = resolveUpdate(input({ changes: { owner: 'bob', n: 11 }, base: { owner: 'carl', n: 10 } }));
    expect(result).toMatchObject({ kind: 'conflict', conflictType: 'FIELD_CONFLICT', suggested: { owner: 'ann', n: 11 } });
  });

  it('lastWriteWins compares edit times; manual always conflicts on a stale version', () => {
    expect(resolveUpdate(input({ strategy: 'lastWriteWins', changes: { title: 'c' } }))).toEqual({ kind: 'apply', values: { title: 'c' } });
    expect(resolveUpdate(input({ strategy: 'lastWriteWins', changes: { title: 'c' }, clientUpdatedAt: '2024-01-01T00:00:00.000Z' }))).toMatchObject({
      kind: 'conflict',
      conflictType: 'SERVER_NEWER',
    });
    expect(resolveUpdate(input({ strategy: 'lastWriteWins', changes: { title: 'c' }, clientUpdatedAt: '2025-01-01T00:00:00.000Z' }))).toMatchObject({
      kind: 'conflict',
      conflictType: 'EQUAL_TIMESTAMP',
    });
    expect(resolveUpdate(input({ strategy: 'manual', changes: { title: 'c' } }))).toMatchObject({
      kind: 'conflict',
      conflictType: 'VERSION_MISMATCH',
    });
  });
});

describe('list merges', () => {
  it('union adds what the client added and removes what it removed', () => {
    expect(unionMerge(['a', 'b', 's'], ['a', 'b'], ['b', 'c'])).toEqual(['b', 's', 'c']);
    expect(unionMerge([{ id: 1 }], [], [{ id: 1 }, { id: 2 }])).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('append keeps the server list and adds what the client appended after its base', () => {
    expect(appendMerge(['a', 's1'], ['a'], ['a', 'c1', 'c2'])).toEqual(['a', 's1', 'c1', 'c2']);
  });
});

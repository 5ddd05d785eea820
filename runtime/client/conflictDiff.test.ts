import { describe, expect, it } from 'vitest';
import { conflictDiff, displayValue } from './conflictDiff';
import type { ConflictEntry } from './conflicts';
import type { EntityMeta } from './meta';

const meta: EntityMeta = {
  name: 'Task',
  table: 'tasks',
  strategy: 'manual',
  direction: 'bidirectional',
  scope: 'tenantId',
  layoutHash: 'x',
  belongsTo: [],
  fields: [
    { name: 'version', column: 'version', kind: 'number', optional: false, push: 'never' },
    { name: 'updatedAt', column: 'updated_at', kind: 'date', optional: true, push: 'never' },
    { name: 'tenantId', column: 'tenant_id', kind: 'string', optional: true, push: 'never' },
    { name: 'title', column: 'title', kind: 'string', optional: false, push: 'always' },
    { name: 'done', column: 'done', kind: 'boolean', optional: false, push: 'always' },
    { name: 'dueAt', column: 'due_at', kind: 'date', optional: true, push: 'always' },
    { name: 'tags', column: 'tags', kind: 'json', optional: true, push: 'always' },
    { name: 'count', column: 'count', kind: 'number', optional: false, push: 'never' },
  ],
};

const conflict = (serverData: ConflictEntry['serverData']): ConflictEntry => ({
  id: 'c1',
  entity: 'Task',
  entityId: 'local-1',
  localData: {
    id: 'local-1',
    version: 2,
    updatedAt: '2025-01-02T00:00:00.000Z',
    tenantId: 't',
    title: 'mine',
    done: true,
    dueAt: '2025-03-01T10:00:00.000Z',
    tags: ['a'],
    count: 1,
  },
  serverData,
  suggested: null,
  localVersion: 2,
  serverVersion: 3,
  conflictType: 'VERSION_MISMATCH',
  resolved: false,
  createdAt: 0,
});

describe('conflictDiff', () => {
  const server = {
    id: 's1',
    version: 3,
    updatedAt: '2025-01-03T00:00:00.000Z',
    tenantId: 't',
    title: 'theirs',
    done: true,
    dueAt: null,
    tags: ['a'],
    count: 5,
  };

  it('lists only differing fields, bookkeeping and scope left out, with base and who changed what', () => {
    const diff = conflictDiff(meta, conflict(server), { title: 'orig', dueAt: null });
    expect(diff.fields.map((f) => [f.field, f.localChanged, f.serverChanged, f.editable])).toEqual([
      ['title', true, true, true],
      ['dueAt', true, false, true],
      ['count', true, true, false],
    ]);
    expect(diff.fields[1]!.display).toEqual({ local: '2025-03-01T10:00:00.000Z', server: '—', base: '—' });
    expect(diff.deletedOnServer).toBe(false);
  });

  it('builds the three resolutions; merge takes the local value of the fields chosen local', () => {
    const diff = conflictDiff(meta, conflict(server));
    expect(diff.resolutions.keepLocal).toEqual({ kind: 'keepLocal' });
    expect(diff.resolutions.useServer).toEqual({ kind: 'useServer' });
    expect(diff.resolutions.merge({ title: 'server', dueAt: 'local', count: 'local' })).toEqual({
      kind: 'merge',
      data: { dueAt: '2025-03-01T10:00:00.000Z' },
    });
  });

  it('a record deleted on the server lists the local values', () => {
    const diff = conflictDiff(meta, conflict(null));
    expect(diff.deletedOnServer).toBe(true);
    expect(diff.fields.map((f) => f.field)).toEqual(['title', 'done', 'dueAt', 'tags', 'count']);
  });

  it('display values per kind', () => {
    expect(displayValue({ kind: 'json' }, { a: [1] })).toBe('{"a":[1]}');
    expect(displayValue({ kind: 'boolean' }, false)).toBe('false');
    expect(displayValue({ kind: 'number' }, 1.5)).toBe('1.5');
    expect(displayValue({ kind: 'string' }, null)).toBe('—');
  });
});

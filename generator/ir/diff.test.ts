import { describe, expect, it } from 'vitest';
import { applyChanges, diffLocalSchema, isDestructive, sameLocalSchema, type LocalColumn, type LocalTable } from './diff';

const col = (name: string, type: LocalColumn['type'] = 'string', extra: Partial<LocalColumn> = {}): LocalColumn => ({
  name,
  type,
  isOptional: false,
  isIndexed: false,
  ...extra,
});
const table = (name: string, columns: LocalColumn[], entity: string | null = 'E'): LocalTable => ({ name, entity, columns });

const tasks = table('tasks', [col('title'), col('done', 'boolean'), col('note', 'string', { isOptional: true })], 'Task');

/** diff, and check that applying the changes reproduces `after`. */
function diff(before: LocalTable[], after: LocalTable[], renames = {}) {
  const changes = diffLocalSchema(before, after, renames);
  expect(sameLocalSchema(applyChanges(before, changes), after)).toBe(true);
  return changes;
}

describe('diffLocalSchema', () => {
  it('finds no change between equal schemas, whatever the column order', () => {
    const reordered = table('tasks', [...tasks.columns].reverse(), 'Task');
    expect(diff([tasks], [reordered])).toEqual([]);
  });

  it('creates new tables and adds new columns in one change per table, keeping schema order', () => {
    const labels = table('labels', [col('name')], 'Label');
    const after = [
      table('tasks', [col('title'), col('a', 'number'), col('done', 'boolean'), col('note', 'string', { isOptional: true }), col('b')], 'Task'),
      labels,
    ];
    expect(diff([tasks], after)).toEqual([
      { kind: 'addColumns', table: 'tasks', entity: 'Task', columns: [col('a', 'number'), col('b')] },
      { kind: 'createTable', table: labels },
    ]);
  });

  it('adds and drops indexes on existing columns; a new indexed column carries its own index', () => {
    const after = table(
      'tasks',
      [
        col('title', 'string', { isIndexed: true }),
        col('done', 'boolean'),
        col('note', 'string', { isOptional: true }),
        col('x', 'string', { isIndexed: true }),
      ],
      'Task',
    );
    const before = table('tasks', [col('title'), col('done', 'boolean', { isIndexed: true }), col('note', 'string', { isOptional: true })], 'Task');
    expect(diff([before], [after])).toEqual([
      { kind: 'dropIndex', table: 'tasks', column: 'done' },
      { kind: 'addColumns', table: 'tasks', entity: 'Task', columns: [col('x', 'string', { isIndexed: true })] },
      { kind: 'addIndex', table: 'tasks', column: 'title' },
    ]);
  });

  it('reports dropped columns, dropped tables and type changes as destructive', () => {
    const labels = table('labels', [col('name')], 'Label');
    const after = table('tasks', [col('title', 'number'), col('done', 'boolean')], 'Task');
    const changes = diff([tasks, labels], [after]);
    expect(changes).toEqual([
      { kind: 'dropColumn', table: 'tasks', column: 'note' },
      { kind: 'changeType', table: 'tasks', entity: 'Task', column: 'title', from: 'string', to: 'number', isOptional: false },
      { kind: 'dropTable', table: 'labels' },
    ]);
    expect(changes.every(isDestructive)).toBe(true);
  });

  it('reports optionality changes as safe', () => {
    const after = table('tasks', [col('title', 'string', { isOptional: true }), col('done', 'boolean'), col('note')], 'Task');
    const changes = diff([tasks], [after]);
    expect(changes).toEqual([
      { kind: 'changeOptionality', table: 'tasks', column: 'title', type: 'string', isOptional: true },
      { kind: 'changeOptionality', table: 'tasks', column: 'note', type: 'string', isOptional: false },
    ]);
    expect(changes.some(isDestructive)).toBe(false);
  });

  it('never guesses a rename: a vanished and a new column are a drop and an add', () => {
    const after = table('tasks', [col('title'), col('done', 'boolean'), col('remark', 'string', { isOptional: true })], 'Task');
    expect(diff([tasks], [after]).map((c) => c.kind)).toEqual(['dropColumn', 'addColumns']);
  });

  it('applies stated renames of tables and columns (column keyed by the old or the new table name)', () => {
    const after = table('todos', [col('heading'), col('done', 'boolean'), col('note', 'string', { isOptional: true })], 'Task');
    expect(diff([tasks], [after], { tasks: 'todos', 'tasks.title': 'heading' })).toEqual([
      { kind: 'renameTable', from: 'tasks', to: 'todos' },
      { kind: 'renameColumn', table: 'todos', from: 'title', to: 'heading' },
    ]);
    expect(diff([tasks], [after], { tasks: 'todos', 'todos.title': 'heading' })).toHaveLength(2);
  });

  it('ignores a rename that no longer applies (already migrated)', () => {
    expect(diff([tasks], [tasks], { 'tasks.title': 'heading', old: 'tasks' })).toEqual([]);
  });
});

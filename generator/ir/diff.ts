/**
 * The schema differ: compares two local (device) schemas and returns typed
 * changes, the way drizzle-kit diffs its snapshots.
 *
 * It works on what the app actually stores (tables and columns of the local
 * database), not on the IR, so a change that does not touch the device (a
 * server-only field, a merge rule) is no change at all. Renames are never
 * guessed: a column that disappears while another appears is a drop and an
 * add unless the caller states the rename.
 */

export type LocalColumnType = 'string' | 'number' | 'boolean';

export interface LocalColumn {
  name: string;
  type: LocalColumnType;
  isOptional: boolean;
  isIndexed: boolean;
}

export interface LocalTable {
  name: string;
  /** Entity stored in the table; null for the system tables. */
  entity: string | null;
  /** Columns in schema order (WatermelonDB's own `id`, `_status`, `_changed` are implied). */
  columns: LocalColumn[];
}

/** One difference between two local schemas. `destructive` changes delete data on devices. */
export type SchemaChange =
  | { kind: 'createTable'; table: LocalTable }
  | { kind: 'addColumns'; table: string; entity: string | null; columns: LocalColumn[] }
  | { kind: 'addIndex'; table: string; column: string }
  | { kind: 'dropIndex'; table: string; column: string }
  | { kind: 'changeOptionality'; table: string; column: string; type: LocalColumnType; isOptional: boolean }
  | { kind: 'renameTable'; from: string; to: string }
  | { kind: 'renameColumn'; table: string; from: string; to: string }
  | { kind: 'dropColumn'; table: string; column: string }
  | { kind: 'dropTable'; table: string }
  | { kind: 'changeType'; table: string; entity: string | null; column: string; from: LocalColumnType; to: LocalColumnType; isOptional: boolean };

export type SchemaChangeKind = SchemaChange['kind'];

/**
 * Renames stated by the user (README "Migrations": never guessed). Keys are `old_table`
 * (value: the new table name) or `table.old_column` (value: the new column
 * name; `table` may be the table's old or new name).
 */
export type Renames = Readonly<Record<string, string>>;

/** Changes that lose data on devices (README "Migrations"): refused unless allowed. */
export function isDestructive(change: SchemaChange): boolean {
  switch (change.kind) {
    case 'dropColumn':
    case 'dropTable':
    case 'changeType':
      return true;
    case 'createTable':
    case 'addColumns':
    case 'addIndex':
    case 'dropIndex':
    case 'changeOptionality':
    case 'renameTable':
    case 'renameColumn':
      return false;
    default:
      return unreachable(change);
  }
}

/** `table` or `table.column` of a change, as users name it in `migrations.allow`. */
export function changeTarget(change: SchemaChange): string {
  switch (change.kind) {
    case 'createTable':
      return change.table.name;
    case 'addColumns':
      return `${change.table}.${change.columns.map((c) => c.name).join(',')}`;
    case 'renameTable':
      return change.from;
    case 'renameColumn':
      return `${change.table}.${change.from}`;
    case 'dropTable':
      return change.table;
    case 'addIndex':
    case 'dropIndex':
    case 'changeOptionality':
    case 'dropColumn':
    case 'changeType':
      return `${change.table}.${change.column}`;
    default:
      return unreachable(change);
  }
}

/**
 * Diff `before` against `after`. Output order is deterministic and safe to
 * execute in sequence: table renames, then per table of `after` (in its
 * order) column renames, drops, type and optionality changes, index drops,
 * added columns, index additions or the table's creation, and finally the
 * tables that were dropped.
 */
export function diffLocalSchema(before: readonly LocalTable[], after: readonly LocalTable[], renames: Renames = {}): SchemaChange[] {
  const changes: SchemaChange[] = [];
  const afterNames = new Set(after.map((t) => t.name));
  const previous = new Map(before.map((t) => [t.name, t]));
  const renamedFrom = new Map<string, string>();

  for (const [from, to] of Object.entries(renames)) {
    if (from.includes('.')) continue;
    const table = previous.get(from);
    if (!table || previous.has(to) || !afterNames.has(to)) continue;
    changes.push({ kind: 'renameTable', from, to });
    previous.delete(from);
    previous.set(to, { ...table, name: to });
    renamedFrom.set(to, from);
  }

  const tail: SchemaChange[] = [];
  for (const next of after) {
    const prev = previous.get(next.name);
    if (!prev) {
      tail.push({ kind: 'createTable', table: next });
      continue;
    }
    changes.push(...diffTable(prev, next, columnRenames(renames, next.name, renamedFrom.get(next.name))));
  }
  const dropped = [...previous.values()].filter((t) => !afterNames.has(t.name));
  return [...changes, ...tail, ...dropped.map((t): SchemaChange => ({ kind: 'dropTable', table: t.name }))];
}

function columnRenames(renames: Renames, table: string, oldTable: string | undefined): Map<string, string> {
  const result = new Map<string, string>();
  for (const [key, to] of Object.entries(renames)) {
    const dot = key.indexOf('.');
    if (dot < 0) continue;
    const owner = key.slice(0, dot);
    if (owner === table || owner === oldTable) result.set(key.slice(dot + 1), to);
  }
  return result;
}

function diffTable(prev: LocalTable, next: LocalTable, renames: Map<string, string>): SchemaChange[] {
  const table = next.name;
  const nextByName = new Map(next.columns.map((c) => [c.name, c]));
  const columns = new Map(prev.columns.map((c) => [c.name, c]));
  const changes: SchemaChange[] = [];

  for (const [from, to] of renames) {
    const column = columns.get(from);
    if (!column || columns.has(to) || !nextByName.has(to)) continue;
    changes.push({ kind: 'renameColumn', table, from, to });
    columns.delete(from);
    columns.set(to, { ...column, name: to });
  }
  for (const column of columns.values()) {
    if (!nextByName.has(column.name)) changes.push({ kind: 'dropColumn', table, column: column.name });
  }
  const added: LocalColumn[] = [];
  const addedIndexes: SchemaChange[] = [];
  for (const column of next.columns) {
    const old = columns.get(column.name);
    if (!old) {
      added.push(column);
      continue;
    }
    if (old.type !== column.type) {
      // The type change resets the column, optionality included.
      changes.push({
        kind: 'changeType',
        table,
        entity: next.entity,
        column: column.name,
        from: old.type,
        to: column.type,
        isOptional: column.isOptional,
      });
    } else if (old.isOptional !== column.isOptional) {
      changes.push({ kind: 'changeOptionality', table, column: column.name, type: column.type, isOptional: column.isOptional });
    }
    if (old.isIndexed && !column.isIndexed) changes.push({ kind: 'dropIndex', table, column: column.name });
    if (!old.isIndexed && column.isIndexed) addedIndexes.push({ kind: 'addIndex', table, column: column.name });
  }
  if (added.length > 0) changes.push({ kind: 'addColumns', table, entity: next.entity, columns: added });
  return [...changes, ...addedIndexes];
}

/**
 * Apply changes to a schema: what the database looks like after a migration
 * step. Used to check a snapshot chain (each snapshot's tables must equal its
 * parent's tables with its changes applied) and to know a table's columns
 * when a step rebuilds it. New columns go last, as SQLite's ALTER TABLE puts them.
 */
export function applyChanges(tables: readonly LocalTable[], changes: readonly SchemaChange[]): LocalTable[] {
  const result = copyTables(tables);
  for (const change of changes) applyChange(result, change);
  return result;
}

/** A copy of `tables` (tables and columns) that `applyChange` may change. */
export function copyTables(tables: readonly LocalTable[]): LocalTable[] {
  return tables.map((t) => ({ ...t, columns: t.columns.map((c) => ({ ...c })) }));
}

/**
 * Apply one change to `tables` in place: a copy the caller owns
 * (`copyTables`). Steps are applied one at a time this way when each needs
 * the schema as it is just before it (renderMigrations.ts): copying every
 * table for every change made a version of many changes on a large schema
 * quadratic (docs/PERFORMANCE.md "Generate").
 */
export function applyChange(tables: LocalTable[], change: SchemaChange): void {
  const eachTable = (name: string, fn: (table: LocalTable) => void) => {
    for (const table of tables) if (table.name === name) fn(table);
  };
  const eachColumn = (name: string, column: string, fn: (c: LocalColumn) => void) =>
    eachTable(name, (table) => {
      for (const c of table.columns) if (c.name === column) fn(c);
    });
  switch (change.kind) {
    case 'createTable':
      tables.push({ ...change.table, columns: change.table.columns.map((c) => ({ ...c })) });
      break;
    case 'addColumns':
      eachTable(change.table, (table) => table.columns.push(...change.columns.map((c) => ({ ...c }))));
      break;
    case 'addIndex':
      eachColumn(change.table, change.column, (c) => (c.isIndexed = true));
      break;
    case 'dropIndex':
      eachColumn(change.table, change.column, (c) => (c.isIndexed = false));
      break;
    case 'changeOptionality':
      eachColumn(change.table, change.column, (c) => (c.isOptional = change.isOptional));
      break;
    case 'renameTable':
      eachTable(change.from, (table) => (table.name = change.to));
      break;
    case 'renameColumn':
      eachColumn(change.table, change.from, (c) => (c.name = change.to));
      break;
    case 'dropColumn':
      eachTable(change.table, (table) => (table.columns = table.columns.filter((c) => c.name !== change.column)));
      break;
    case 'dropTable':
      for (let i = tables.length - 1; i >= 0; i--) if (tables[i]!.name === change.table) tables.splice(i, 1);
      break;
    case 'changeType':
      eachColumn(change.table, change.column, (c) => {
        c.type = change.to;
        c.isOptional = change.isOptional;
      });
      break;
    default:
      unreachable(change);
  }
}

/**
 * Two schemas hold the same tables and columns, ignoring column order (a
 * column added by a migration sits last, one in a fresh schema where the
 * schema declares it; WatermelonDB addresses columns by name).
 */
export function sameLocalSchema(a: readonly LocalTable[], b: readonly LocalTable[]): boolean {
  // Any total order serves both sides alike; code units, not localeCompare (a collator per call:
  // this runs for every version of the history at every generate).
  const byName = (x: { name: string }, y: { name: string }) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0);
  const canon = (tables: readonly LocalTable[]) =>
    JSON.stringify(
      [...tables].sort(byName).map((t) => ({
        name: t.name,
        columns: [...t.columns].sort(byName).map((c) => [c.name, c.type, c.isOptional, c.isIndexed]),
      })),
    );
  return canon(a) === canon(b);
}

function unreachable(value: never): never {
  throw new Error(`unhandled schema change ${JSON.stringify(value)}`);
}

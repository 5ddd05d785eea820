import type { LocalColumn, LocalColumnType, LocalTable } from '../../../ir/diff';

/**
 * SQLite statements for the changes WatermelonDB's migration API cannot
 * express. WatermelonDB migrations only create tables and add columns
 * (createTable, addColumns); everything else goes through unsafeExecuteSql,
 * which is SQLite-only (the LokiJS adapter ignores it).
 *
 * The statements mirror WatermelonDB's own encoding
 * (adapters/sqlite/encodeSchema): tables are `"id" primary key, "_changed",
 * "_status"` plus untyped columns, and an indexed column's index is named
 * `<table>_<column>` (plus `<table>__status` on every table), so a migrated
 * database ends up with the same definitions as one created fresh.
 *
 * Table rebuilds (create a copy, copy rows, drop, rename) are used instead of
 * ALTER TABLE DROP/RENAME COLUMN, which need SQLite 3.35 / 3.25 and older
 * Android releases ship older system SQLite.
 */

const STANDARD_COLUMNS = ['id', '_changed', '_status'];

export function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

/** The value WatermelonDB gives a column with no value (RawRecord's nullValue), as SQL. */
export function emptyValueSql(type: LocalColumnType, isOptional: boolean): string {
  if (isOptional) return 'null';
  switch (type) {
    case 'string':
      return "''";
    case 'number':
      return '0';
    case 'boolean':
      // WatermelonDB stores booleans as 0 / 1 on SQLite.
      return '0';
    default: {
      const unreachable: never = type;
      throw new Error(`unknown column type ${String(unreachable)}`);
    }
  }
}

export function createIndexSql(table: string, column: string): string {
  return `create index if not exists ${quote(`${table}_${column}`)} on ${quote(table)} (${quote(column)});`;
}

export function dropIndexSql(table: string, column: string): string {
  return `drop index if exists ${quote(`${table}_${column}`)};`;
}

function tableIndexes(table: LocalTable): string[] {
  return [
    ...table.columns.filter((c) => c.isIndexed).map((c) => createIndexSql(table.name, c.name)),
    `create index if not exists ${quote(`${table.name}__status`)} on ${quote(table.name)} (${quote('_status')});`,
  ];
}

/** Rename a table; its indexes are renamed too, since WatermelonDB derives index names from the table's. */
export function renameTableSql(before: LocalTable, to: string): string[] {
  const after = { ...before, name: to };
  return [
    ...before.columns.filter((c) => c.isIndexed).map((c) => dropIndexSql(before.name, c.name)),
    `drop index if exists ${quote(`${before.name}__status`)};`,
    `alter table ${quote(before.name)} rename to ${quote(to)};`,
    ...tableIndexes(after),
  ];
}

/**
 * Rebuild `before` as `after`: every row is copied; each column of `after`
 * takes the value of `sources.get(name)` (a column of `before`) or, for a
 * column missing there, WatermelonDB's empty value.
 */
export function rebuildTableSql(before: LocalTable, after: LocalTable, sources: ReadonlyMap<string, string>): string[] {
  const temp = `${after.name}__trackhub_rebuild`;
  const beforeNames = new Set(before.columns.map((c) => c.name));
  const targets = [...STANDARD_COLUMNS, ...after.columns.map((c) => c.name)];
  const values = [
    ...STANDARD_COLUMNS.map(quote),
    ...after.columns.map((c: LocalColumn) => {
      const source = sources.get(c.name) ?? c.name;
      return beforeNames.has(source) ? quote(source) : emptyValueSql(c.type, c.isOptional);
    }),
  ];
  return [
    `create table ${quote(temp)} (${targets.map((n) => (n === 'id' ? `${quote(n)} primary key` : quote(n))).join(', ')});`,
    `insert into ${quote(temp)} (${targets.map(quote).join(', ')}) select ${values.join(', ')} from ${quote(before.name)};`,
    `drop table ${quote(before.name)};`,
    `alter table ${quote(temp)} rename to ${quote(after.name)};`,
    ...tableIndexes(after),
  ];
}

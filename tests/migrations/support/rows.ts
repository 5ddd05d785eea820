import type { Database } from '@nozbe/watermelondb';
import type { AppSchema, ColumnSchema } from '@nozbe/watermelondb/Schema';
import Database3 from 'better-sqlite3';

export const ROWS_PER_TABLE = 3;

/**
 * A distinct, type-correct value for every (table, column, row): row 1 leaves
 * optional columns null, so nulls are checked to survive too.
 */
export function valueFor(table: string, column: ColumnSchema, row: number): string | number | boolean | null {
  if (column.isOptional && row === 1) return null;
  switch (column.type) {
    case 'string':
      return `${table}.${column.name}#${row} ✓`;
    case 'number':
      return row * 1000 + column.name.length + 0.25;
    case 'boolean':
      return row % 2 === 0;
    default:
      throw new Error(`unknown column type ${String(column.type)}`);
  }
}

/** Every raw row WatermelonDB would create for a table of `schema`. */
export function seedRows(schema: AppSchema, table: string): Record<string, unknown>[] {
  const columns = schema.tables[table]!.columnArray;
  return Array.from({ length: ROWS_PER_TABLE }, (_, row) => ({
    id: `${table}-${row}`,
    ...Object.fromEntries(columns.map((c) => [c.name, valueFor(table, c, row)])),
  }));
}

/** Fill every table of the schema (entity and system tables) through WatermelonDB. */
export async function seedEveryTable(db: Database, schema: AppSchema): Promise<void> {
  await db.write(async () => {
    const records = Object.keys(schema.tables).flatMap((table) => seedRows(schema, table).map((raw) => db.get(table).prepareCreateFromDirtyRaw(raw)));
    await db.batch(records);
  });
}

/** Every row of a table as WatermelonDB reads it (sanitized raw records), by id. */
export async function readTable(db: Database, table: string): Promise<Map<string, Record<string, unknown>>> {
  const records = await db.get(table).query().fetch();
  return new Map(records.map((r) => [r.id, { ...(r._raw as unknown as Record<string, unknown>) }]));
}

/**
 * The database's definitions, normalised for comparison: per table its
 * columns (name, declared type, not null, default, primary key) sorted by
 * name, and every index with its columns. Column order is left out: SQLite
 * appends a column added by ALTER TABLE, while a fresh table lists it where
 * the schema declares it; WatermelonDB addresses columns by name.
 */
export function schemaDefinition(file: string): { userVersion: number; tables: Record<string, unknown>; indexes: Record<string, unknown> } {
  const sqlite = new Database3(file, { readonly: true });
  try {
    const objects = sqlite.prepare("select type, name, tbl_name from sqlite_master where name not like 'sqlite_%' order by name").all() as {
      type: string;
      name: string;
      tbl_name: string;
    }[];
    const tables: Record<string, unknown> = {};
    const indexes: Record<string, unknown> = {};
    for (const o of objects) {
      if (o.type === 'table') {
        tables[o.name] = (
          sqlite.pragma(`table_info("${o.name}")`) as { name: string; type: string; notnull: number; dflt_value: unknown; pk: number }[]
        )
          .map((c) => [c.name, c.type, c.notnull, c.dflt_value, c.pk])
          .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
      } else if (o.type === 'index') {
        indexes[o.name] = { table: o.tbl_name, columns: (sqlite.pragma(`index_info("${o.name}")`) as { name: string }[]).map((c) => c.name) };
      }
    }
    return { userVersion: sqlite.pragma('user_version', { simple: true }) as number, tables, indexes };
  } finally {
    sqlite.close();
  }
}

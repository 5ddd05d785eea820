import type { LocalTable } from '../../../ir/diff';
import type { Ir } from '../../../ir/types';
import { SYSTEM_TABLES, type SystemColumn } from '../systemTables';
import { entityColumns } from '../view';

/**
 * The local database the generated `schema.ts` describes: entity tables (the
 * same columns `schema.ts` prints) followed by the system tables. This is what
 * snapshots record and migrations diff, so only changes that reach the device
 * produce a migration step.
 */
export function localSchema(ir: Ir): LocalTable[] {
  return [
    ...ir.entities.map((e) => ({ name: e.table, entity: e.name, columns: entityColumns(e).map(localColumn) })),
    ...SYSTEM_TABLES.map((t) => ({ name: t.table, entity: null, columns: t.columns.map(localColumn) })),
  ];
}

function localColumn(c: SystemColumn) {
  return { name: c.name, type: c.type, isOptional: c.isOptional === true, isIndexed: c.isIndexed === true };
}

import { DiagnosticCode, diagnostic, type Diagnostic } from '../../diagnostics';
import { RESERVED_COLUMNS, type Ir } from '../../ir/types';
import { SYSTEM_TABLE_NAMES } from './systemTables';

/**
 * What WatermelonDB needs of the IR: one local table per entity (system
 * tables included) and no column clashes. Fields named like a member of
 * `Model` and several relations to one table are handled by the model view
 * (propertyNames.ts, lazy queries), not refused.
 */
export function validateWatermelon(ir: Ir): Diagnostic[] {
  const out: Diagnostic[] = [];
  const tables = new Map<string, string>(SYSTEM_TABLE_NAMES.map((t) => [t, 'the sync runtime (system table)']));
  for (const entity of ir.entities) {
    const previous = tables.get(entity.table);
    if (previous) {
      out.push(
        diagnostic(
          DiagnosticCode.duplicateTable,
          entity.location,
          `model ${entity.name}: local table '${entity.table}' is already used by ${previous}`,
          `Give one of them another name with @sync(table: "...").`,
        ),
      );
    } else {
      tables.set(entity.table, entity.name);
    }
    const columns = new Map<string, string>();
    for (const field of entity.fields) {
      // The key is `id` locally too; an ignored field never reaches the device.
      if (field.isId || field.name === 'id' || field.ignore) continue;
      const where = `model ${entity.name} › field ${field.name}`;
      if ((RESERVED_COLUMNS as readonly string[]).includes(field.column)) {
        out.push(
          diagnostic(
            DiagnosticCode.reservedColumn,
            field.location,
            `${where}: column '${field.column}' is reserved on local tables`,
            `Rename the field (Prisma keeps its column with @map); ${RESERVED_COLUMNS.join(', ')} are kept by WatermelonDB and trackhub-sync.`,
          ),
        );
      }
      const clash = columns.get(field.column);
      if (clash) {
        out.push(
          diagnostic(
            DiagnosticCode.reservedColumn,
            field.location,
            `${where}: local column '${field.column}' is also the column of field ${clash}`,
            'Local columns are the snake_case field names: rename one of the fields (Prisma keeps its column with @map).',
          ),
        );
      }
      columns.set(field.column, field.name);
    }
  }
  return out;
}

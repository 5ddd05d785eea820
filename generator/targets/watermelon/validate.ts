import { DiagnosticCode, diagnostic, type Diagnostic } from '../../diagnostics';
import { RESERVED_COLUMNS, type Ir } from '../../ir/types';
import { SYSTEM_TABLE_NAMES } from './systemTables';

/**
 * Members of WatermelonDB's `Model` that a generated property would shadow
 * (model.js in @nozbe/watermelondb 0.28).
 */
const MODEL_MEMBERS = new Set([
  'table',
  'associations',
  'collection',
  'collections',
  'database',
  'db',
  'asModel',
  'syncStatus',
  'update',
  'prepareUpdate',
  'cancelPrepareUpdate',
  'prepareMarkAsDeleted',
  'prepareDestroyPermanently',
  'markAsDeleted',
  'destroyPermanently',
  'experimentalMarkAsDeleted',
  'experimentalDestroyPermanently',
  'observe',
  'batch',
  'callWriter',
  'callReader',
  'subAction',
  'serverId',
]);

/**
 * What WatermelonDB needs of the IR: one local table per entity (system
 * tables included), one association per related table, no column clashes and
 * no field that shadows a member of `Model`.
 */
export function validateWatermelon(ir: Ir): Diagnostic[] {
  const out: Diagnostic[] = [];
  const tables = new Map<string, string>(SYSTEM_TABLE_NAMES.map((t) => [t, 'the sync runtime (system table)']));
  const byName = new Map(ir.entities.map((e) => [e.name, e]));
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
    // WatermelonDB keys associations by table: two relations to one table cannot both be declared.
    const associated = new Map<string, string>();
    for (const relation of entity.relations) {
      const table = byName.get(relation.target)?.table ?? relation.target;
      const other = associated.get(table);
      if (other) {
        out.push(
          diagnostic(
            DiagnosticCode.unsupportedRelation,
            relation.location,
            `model ${entity.name} › field ${relation.name}: a second relation to table '${table}' (also ${other})`,
            'WatermelonDB associations are keyed by table; keep one relation per related entity and mark the other @sync.ignore.',
          ),
        );
      }
      associated.set(table, relation.name);
    }
    const columns = new Map<string, string>();
    for (const field of entity.fields) {
      if (field.isId) continue;
      const where = `model ${entity.name} › field ${field.name}`;
      const member = MODEL_MEMBERS.has(field.name);
      if (member || (RESERVED_COLUMNS as readonly string[]).includes(field.column)) {
        out.push(
          diagnostic(
            DiagnosticCode.reservedColumn,
            field.location,
            member
              ? `${where}: '${field.name}' is already a member of WatermelonDB's Model`
              : `${where}: column '${field.column}' is reserved on local tables`,
            member
              ? 'Rename the field; the generated model class would shadow it.'
              : `Rename the field; ${RESERVED_COLUMNS.join(', ')} are kept by WatermelonDB and trackhub-sync.`,
          ),
        );
      }
      const clash = columns.get(field.column);
      if (clash) {
        out.push(
          diagnostic(
            DiagnosticCode.reservedColumn,
            field.location,
            `${where}: column '${field.column}' is also the column of field ${clash}`,
            'Rename one of the fields.',
          ),
        );
      }
      columns.set(field.column, field.name);
    }
  }
  return out;
}

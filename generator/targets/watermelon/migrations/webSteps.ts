import type { WebMigrationStep } from '../../../../runtime/client/loki/webMigrationStep';
import type { LocalColumnType, SchemaChange } from '../../../ir/diff';

/**
 * What a change does on a LokiJS (web) database. WatermelonDB's LokiJS
 * adapter takes createTable and addColumns itself and skips every
 * `unsafeExecuteSql` step; each SQL-only change gets its LokiJS equivalent
 * here, run by the web database factory (runtime/client/loki) during the
 * same migration (README "Web", migration parity). Nothing is left without
 * an equivalent: a change type on the web resets the column as SQLite does,
 * and the entity is re-pulled (repullAfterMigration) on both.
 */
export function webStepsFor(change: SchemaChange): WebMigrationStep[] {
  switch (change.kind) {
    case 'createTable':
    case 'addColumns':
      return [];
    case 'addIndex':
      return [{ kind: 'addIndex', table: change.table, column: change.column }];
    case 'dropIndex':
      return [{ kind: 'dropIndex', table: change.table, column: change.column }];
    case 'changeOptionality':
      return change.isOptional
        ? []
        : [{ kind: 'setValue', table: change.table, column: change.column, value: emptyValue(change.type, false), onlyNull: true }];
    case 'renameTable':
      return [{ kind: 'renameTable', from: change.from, to: change.to }];
    case 'renameColumn':
      return [{ kind: 'renameColumn', table: change.table, from: change.from, to: change.to }];
    case 'dropColumn':
      return [{ kind: 'dropColumn', table: change.table, column: change.column }];
    case 'dropTable':
      return [{ kind: 'dropTable', table: change.table }];
    case 'changeType':
      return [{ kind: 'setValue', table: change.table, column: change.column, value: emptyValue(change.to, change.isOptional), onlyNull: false }];
    default: {
      const unreachable: never = change;
      throw new Error(`unhandled change ${JSON.stringify(unreachable)}`);
    }
  }
}

/** WatermelonDB's empty value of a column (RawRecord's nullValue) as LokiJS stores it (booleans as booleans). */
function emptyValue(type: LocalColumnType, isOptional: boolean): string | number | boolean | null {
  if (isOptional) return null;
  switch (type) {
    case 'string':
      return '';
    case 'number':
      return 0;
    case 'boolean':
      return false;
    default: {
      const unreachable: never = type;
      throw new Error(`unknown column type ${String(unreachable)}`);
    }
  }
}

/** A step as a TypeScript object literal (JSON.stringify writes valid literals for these values). */
export function webStepLiteral(step: WebMigrationStep): string {
  const fields = Object.entries(step).map(([key, value]) => `${key}: ${typeof value === 'string' ? singleQuoted(value) : JSON.stringify(value)}`);
  return `{ ${fields.join(', ')} }`;
}

function singleQuoted(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

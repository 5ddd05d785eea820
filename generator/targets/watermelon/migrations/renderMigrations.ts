import { printString, printTemplateLiteral } from '../../../emit/tsLiteral';
import { applyChange, applyChanges, copyTables, isDestructive, type LocalColumn, type LocalTable, type SchemaChange } from '../../../ir/diff';
import { render } from '../../../emit/render';
import { columnLiteral } from '../view';
import { snapshotPath, type Snapshot } from './snapshot';
import { createIndexSql, dropIndexSql, emptyValueSql, quote, rebuildTableSql, renameTableSql } from './sql';
import { webStepLiteral, webStepsFor } from './webSteps';

/** One entry of a migration's `steps` array: comment lines and the step call (none for a no-op). */
interface StepView {
  comments: string[];
  code: string | null;
}

type Helper = 'addColumns' | 'createTable' | 'unsafeExecuteSql';

/**
 * Entities to re-pull in full after migrating to a version: their tables or
 * columns were added, or a column was reset by a type change (README "Migrations").
 */
export function repullEntities(snapshot: Snapshot): string[] {
  const names = new Set<string>();
  for (const change of snapshot.changes) {
    switch (change.kind) {
      case 'createTable':
        if (change.table.entity) names.add(change.table.entity);
        break;
      case 'addColumns':
      case 'changeType':
        if (change.entity) names.add(change.entity);
        break;
      case 'addIndex':
      case 'dropIndex':
      case 'changeOptionality':
      case 'renameTable':
      case 'renameColumn':
      case 'dropColumn':
      case 'dropTable':
        break;
      default: {
        const unreachable: never = change;
        throw new Error(`unhandled change ${JSON.stringify(unreachable)}`);
      }
    }
  }
  return [...names].sort();
}

/** The body of `watermelon/migrations.ts` (after the header), rebuilt from the whole snapshot chain. */
export function renderMigrations(chain: readonly Snapshot[]): string {
  const helpers = new Set<string>(['schemaMigrations']);
  const versions = chain.slice(1).map((snapshot, index) => {
    // The schema just before each step, changed in place one step at a time.
    const tables = copyTables(chain[index]!.tables);
    const steps: string[] = [];
    for (const change of snapshot.changes) {
      const step = stepFor(change, tables);
      if (step.helper) helpers.add(step.helper);
      steps.push(stepBlock(step));
      applyChange(tables, change);
    }
    return { version: snapshot.version, file: snapshotPath(snapshot.version), steps };
  });
  return render('watermelon/migrations', {
    header: '',
    imports: [...helpers].sort().join(', '),
    repull: chain
      .slice(1)
      .map((s) => ({ version: s.version, entities: repullEntities(s).map(printString).join(', ') }))
      .filter((r) => r.entities !== ''),
    web: chain
      .slice(1)
      .map((s) => ({ version: s.version, steps: s.changes.flatMap(webStepsFor).map(webStepLiteral) }))
      .filter((w) => w.steps.length > 0),
    versions,
  });
}

function stepFor(change: SchemaChange, tables: readonly LocalTable[]): { comments: string[]; code: string | null; helper?: Helper } {
  const table = (name: string): LocalTable => {
    const found = tables.find((t) => t.name === name);
    if (!found) throw new Error(`migration step on unknown table ${name}`);
    return found;
  };
  const destructive = isDestructive(change) ? ['DESTRUCTIVE (explicitly allowed): SQLite only.'] : [];
  switch (change.kind) {
    case 'createTable':
      return {
        comments: [`New table ${change.table.name}${change.table.entity ? ` (${change.table.entity})` : ''}.`],
        code: `createTable({\n  name: ${printString(change.table.name)},\n  columns: [\n${columnLines(change.table.columns)}  ],\n})`,
        helper: 'createTable',
      };
    case 'addColumns':
      return {
        comments: [`New columns on ${change.table}: existing rows read null (optional) or '' / 0 / false (required).`],
        code: `addColumns({\n  table: ${printString(change.table)},\n  columns: [\n${columnLines(change.columns)}  ],\n})`,
        helper: 'addColumns',
      };
    case 'addIndex':
      return sqlStep([`SQLite only: index ${change.table}.${change.column}.`], [createIndexSql(change.table, change.column)]);
    case 'dropIndex':
      return sqlStep([`SQLite only: drop the index of ${change.table}.${change.column}.`], [dropIndexSql(change.table, change.column)]);
    case 'changeOptionality':
      return change.isOptional
        ? { comments: [`${change.table}.${change.column} is now optional: nothing changes on disk.`], code: null }
        : sqlStep(
            [`SQLite only: ${change.table}.${change.column} is now required; null values become ${emptyValueSql(change.type, false)}.`],
            [
              `update ${quote(change.table)} set ${quote(change.column)} = ${emptyValueSql(change.type, false)} where ${quote(change.column)} is null;`,
            ],
          );
    case 'renameTable':
      return sqlStep(
        [`SQLite only: rename table ${change.from} to ${change.to} (declared in migrations.renames).`],
        renameTableSql(table(change.from), change.to),
      );
    case 'renameColumn': {
      const before = table(change.table);
      const after = applyChanges([before], [change])[0]!;
      return sqlStep(
        [
          `SQLite only: rename ${change.table}.${change.from} to ${change.to} (declared in migrations.renames); the table is rebuilt, every row kept.`,
        ],
        rebuildTableSql(before, after, new Map([[change.to, change.from]])),
      );
    }
    case 'dropColumn': {
      const before = table(change.table);
      const after = applyChanges([before], [change])[0]!;
      return sqlStep(
        [
          ...destructive,
          `Drop column ${change.table}.${change.column}: its values are deleted on every device; the table is rebuilt, every row kept.`,
        ],
        rebuildTableSql(before, after, new Map()),
      );
    }
    case 'dropTable':
      return sqlStep(
        [...destructive, `Drop table ${change.table}: every row in it is deleted on every device.`],
        [`drop table if exists ${quote(change.table)};`],
      );
    case 'changeType':
      return sqlStep(
        [
          ...destructive,
          `${change.table}.${change.column} changes from ${change.from} to ${change.to}: local values are reset to ${emptyValueSql(change.to, change.isOptional)} and the entity is re-pulled.`,
        ],
        [`update ${quote(change.table)} set ${quote(change.column)} = ${emptyValueSql(change.to, change.isOptional)};`],
      );
    default: {
      const unreachable: never = change;
      throw new Error(`unhandled change ${JSON.stringify(unreachable)}`);
    }
  }
}

const STEP_INDENT = '        ';

/** A step as printed inside `steps: [...]`: its comments, then the call. */
function stepBlock(step: StepView): string {
  const lines = [...step.comments.map((c) => `// ${c}`), ...(step.code === null ? [] : `${step.code},`.split('\n'))];
  return lines.map((l) => `${STEP_INDENT}${l}`).join('\n');
}

function columnLines(columns: readonly LocalColumn[]): string {
  return columns
    .map((c) => `    ${columnLiteral({ name: c.name, type: c.type, isOptional: c.isOptional || undefined, isIndexed: c.isIndexed || undefined })},\n`)
    .join('');
}

/** One unsafeExecuteSql call; WatermelonDB requires the SQL to end with a semicolon. */
function sqlStep(comments: string[], statements: string[]): { comments: string[]; code: string; helper: Helper } {
  // SQL string literals use single quotes: such statements go in a template literal instead of escaping.
  const literal = (sql: string) => (sql.includes("'") ? printTemplateLiteral(sql) : printString(sql));
  const code =
    statements.length === 1
      ? `unsafeExecuteSql(${literal(statements[0]!)})`
      : `unsafeExecuteSql(\n${statements.map((s, i) => `  ${literal(s)}${i < statements.length - 1 ? ' +' : ','}`).join('\n')}\n)`;
  return { comments, code, helper: 'unsafeExecuteSql' };
}

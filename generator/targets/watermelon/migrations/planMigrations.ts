import type { ResolvedConfig } from '../../../config';
import { DiagnosticCode, diagnostic, hasErrors, type Diagnostic } from '../../../diagnostics';
import type { GeneratedFile } from '../../../emit/generatedFile';
import { applyChanges, changeTarget, diffLocalSchema, isDestructive, sameLocalSchema, type SchemaChange } from '../../../ir/diff';
import type { Ir, SourceLocation } from '../../../ir/types';
import { readChain, type SnapshotFile } from './chain';
import { regressionDiagnostics, type DeclaredVersion } from './history';
import { localSchema } from './localSchema';
import { renderMigrations } from './renderMigrations';
import { SNAPSHOT_FORMAT, serializeSnapshot, snapshotHash, snapshotPath, type Snapshot } from './snapshot';

export interface MigrationInput {
  ir: Ir;
  options: ResolvedConfig['migrations'];
  /** The history's snapshot files, paths relative to the history folder (see readHistory). */
  snapshots: readonly SnapshotFile[];
  /** The history folder as diagnostics show it (relative to the config folder). */
  shownHistory: string;
  /** Local schema versions the output folder's generated code declares (the regression guard). */
  declared?: readonly DeclaredVersion[];
}

export interface MigrationPlan {
  /** The local schema version `schema.ts` declares. */
  schemaVersion: number;
  /** Body of `watermelon/migrations.ts` (after the header). */
  migrationsSource: string;
  /**
   * Every snapshot file of the history, paths relative to its folder: the
   * committed ones with their bytes as read (the history is append-only), then
   * the new one.
   */
  files: GeneratedFile[];
  /** The changes of the new version (empty when nothing changed). */
  changes: SchemaChange[];
  /**
   * Problems of the chain or of the change: errors (a broken or forked chain,
   * destructive changes not allowed; then `files` is empty and nothing may be
   * written) and warnings (allowed destructive changes).
   */
  diagnostics: Diagnostic[];
}

/**
 * Diff the IR's local schema against the latest committed snapshot (README "Migrations").
 * No change: same version, same files. A change: a new version whose snapshot
 * records the changes, and a migration step rebuilt from the chain.
 * Returns error diagnostics (and no files) on a broken or forked chain and on
 * destructive changes that were not allowed, naming each one.
 */
export function planMigrations(input: MigrationInput): MigrationPlan {
  const { ir, options } = input;
  const { chain, diagnostics: chainErrors } = validChain(input);
  const refusedPlan = (diagnostics: Diagnostic[]): MigrationPlan => ({
    schemaVersion: chain.at(-1)?.version ?? 1,
    migrationsSource: '',
    files: [],
    changes: [],
    diagnostics,
  });
  if (hasErrors(chainErrors)) return refusedPlan(chainErrors);

  const current = localSchema(ir);
  const latest = chain.at(-1);
  let changes: SchemaChange[] = [];
  const warnings: Diagnostic[] = [];
  let next = chain;
  if (!latest) {
    next = [{ format: SNAPSHOT_FORMAT, version: 1, parent: null, sources: ir.sources, changes: [], tables: current }];
  } else {
    changes = diffLocalSchema(latest.tables, current, options.renames);
    if (changes.length > 0) {
      if (!sameLocalSchema(applyChanges(latest.tables, changes), current)) {
        throw new Error('internal: schema diff does not reproduce the current schema');
      }
      const at = (change: SchemaChange) => locate(ir, change, `${input.shownHistory}/${snapshotPath(latest.version)}`);
      const refused = changes.filter((c) => isDestructive(c) && !allowed(c, options));
      if (refused.length > 0) {
        return refusedPlan(
          refused.map((c) =>
            diagnostic(DiagnosticCode.destructiveChange, at(c), `${describe(c)}: ${consequence(c)} on every device`, permissionHint(c)),
          ),
        );
      }
      for (const c of changes.filter(isDestructive)) {
        warnings.push(
          diagnostic(
            DiagnosticCode.destructiveChange,
            at(c),
            `${describe(c)}: emitted as an explicit SQL step in version ${latest.version + 1}`,
            undefined,
            'warning',
          ),
        );
      }
      next = [
        ...chain,
        { format: SNAPSHOT_FORMAT, version: latest.version + 1, parent: snapshotHash(latest), sources: ir.sources, changes, tables: current },
      ];
    }
  }
  return {
    schemaVersion: next.at(-1)!.version,
    migrationsSource: renderMigrations(next),
    files: historyFiles(input, next),
    changes,
    diagnostics: warnings,
  };
}

/**
 * The history's snapshot files, unchanged, for a run without the WatermelonDB
 * target: the chain is still validated (and moved out of an old output
 * folder), and the regression guard still holds.
 */
export function keepSnapshots(input: Pick<MigrationInput, 'snapshots' | 'shownHistory' | 'declared'>): {
  files: GeneratedFile[];
  diagnostics: Diagnostic[];
} {
  const { chain, diagnostics } = validChain(input);
  return { files: hasErrors(diagnostics) ? [] : historyFiles(input, chain), diagnostics };
}

/** Committed snapshots keep the bytes they were read with; a new one is serialized. */
function historyFiles(input: Pick<MigrationInput, 'snapshots'>, chain: readonly Snapshot[]): GeneratedFile[] {
  const read = new Map(input.snapshots.map((f) => [f.path, f.text]));
  return chain.map((s) => {
    const path = snapshotPath(s.version);
    return { path, contents: read.get(path) ?? serializeSnapshot(s) };
  });
}

/** The committed chain, or the diagnostics of a broken chain or of a history behind released apps (the regression guard). */
function validChain(input: Pick<MigrationInput, 'snapshots' | 'shownHistory' | 'declared'>): { chain: Snapshot[]; diagnostics: Diagnostic[] } {
  const { chain, diagnostics } = readChain(input.snapshots, input.shownHistory);
  if (diagnostics.length > 0) return { chain: [], diagnostics };
  const regression = regressionDiagnostics(chain.at(-1)?.version ?? 0, { declared: [...(input.declared ?? [])], shown: input.shownHistory });
  if (regression.length > 0) return { chain: [], diagnostics: regression };
  return { chain, diagnostics: [] };
}

/** `allowDestructive`, or `migrations.allow` naming the table or the `table.column`. */
function allowed(change: SchemaChange, options: ResolvedConfig['migrations']): boolean {
  if (options.allowDestructive) return true;
  const target = changeTarget(change);
  const table = target.split('.')[0]!;
  return options.allow.includes(target) || options.allow.includes(table);
}

function describe(change: SchemaChange): string {
  switch (change.kind) {
    case 'dropTable':
      return `table '${change.table}' was removed`;
    case 'dropColumn':
      return `table '${change.table}' › column '${change.column}' was removed`;
    case 'changeType':
      return `table '${change.table}' › column '${change.column}' changes type from ${change.from} to ${change.to}`;
    default:
      return `${change.kind} ${changeTarget(change)}`;
  }
}

function consequence(change: SchemaChange): string {
  switch (change.kind) {
    case 'dropTable':
      return 'dropping it deletes its rows';
    case 'changeType':
      return 'the migration resets its local values';
    default:
      return 'dropping it deletes its values';
  }
}

function permissionHint(change: SchemaChange): string {
  const target = changeTarget(change);
  const rename =
    change.kind === 'dropColumn'
      ? ` If it was renamed, state it: "migrations": { "renames": { "${target}": "<new name>" } }.`
      : change.kind === 'dropTable'
        ? ` If it was renamed, state it: "migrations": { "renames": { "${target}": "<new table>" } }.`
        : '';
  return `Allow it with --allow-destructive or "migrations": { "allow": ["${target}"] } in the config.${rename}`;
}

/** The entity's declaration when it still exists, else the latest snapshot. */
function locate(ir: Ir, change: SchemaChange, snapshotFile: string): SourceLocation {
  const table = 'table' in change && typeof change.table === 'string' ? change.table : null;
  const entity = table ? ir.entities.find((e) => e.table === table) : undefined;
  return entity?.location ?? { file: snapshotFile, line: 1, column: 1 };
}

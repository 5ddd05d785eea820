import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DiagnosticCode, diagnostic, type Diagnostic } from '../../../diagnostics';
import type { SourceLocation } from '../../../ir/types';
import { isDeadRunSibling } from '../../../emit/deadRuns';
import { displayPath } from '../../../readers/readInputs';
import type { SnapshotFile } from './chain';
import { LEGACY_SNAPSHOT_DIR, snapshotPath } from './snapshot';

/** A local schema version the output folder already declares, and where. */
export interface DeclaredVersion {
  version: number;
  at: SourceLocation;
}

/** The migration history as this run found it: an input of the pipeline, read (never written) here. */
export interface History {
  /** The snapshot files of the chain, paths relative to the history folder (`0003.json`). */
  files: SnapshotFile[];
  /** Where the snapshots were read, as diagnostics show it (relative to the config folder). */
  shown: string;
  /**
   * Output paths (`snapshots/0001.json`) of an earlier release's snapshots:
   * the history folder was empty, so the chain was read from them and this
   * run moves them into it.
   */
  moved: string[];
  /** Local schema versions the generated code in the output folder declares. */
  declared: DeclaredVersion[];
}

/**
 * Read the history folder, and what the output folder says about released
 * versions. When the history folder holds no snapshot but `<out>/snapshots/`
 * does (a project generated before the history moved out of the output
 * folder), the chain is read from there and moved (README "Migrations").
 * Returns diagnostics for output snapshots that would otherwise be lost: one
 * that is not a byte-identical copy of the history's file of the same name.
 */
export function readHistory(historyDir: string, outDir: string, baseDir: string): { history: History; diagnostics: Diagnostic[] } {
  const shown = displayPath(baseDir, historyDir);
  const shownOut = displayPath(baseDir, outDir);
  const inHistory = listFolder(historyDir, '');
  const legacy = listFolder(join(outDir, LEGACY_SNAPSHOT_DIR), `${LEGACY_SNAPSHOT_DIR}/`);
  const declared = declaredVersions(outDir, shownOut);
  if (inHistory.length === 0 && legacy.length > 0) {
    const files = legacy.map((f) => ({ path: f.path.slice(LEGACY_SNAPSHOT_DIR.length + 1), text: f.text }));
    return { history: { files, shown: `${shownOut}/${LEGACY_SNAPSHOT_DIR}`, moved: legacy.map((f) => f.path), declared }, diagnostics: [] };
  }
  const byName = new Map(inHistory.map((f) => [f.path, f.text]));
  const diagnostics = legacy
    .filter((f) => byName.get(f.path.slice(LEGACY_SNAPSHOT_DIR.length + 1)) !== f.text)
    .map((f) =>
      diagnostic(
        DiagnosticCode.snapshot,
        { file: `${shownOut}/${f.path}`, line: 1, column: 1 },
        `snapshot of an earlier release that is not in the migration history ${shown}/`,
        `The history moved out of the output folder to ${shown}/ (README "Migrations"). If this file belongs to the chain, ` +
          `move it there (git mv); if ${shown}/ already holds the whole chain, delete it.`,
      ),
    );
  return { history: { files: inHistory, shown, moved: [], declared }, diagnostics };
}

/**
 * The regression guard (README "Migrations"): the output folder's generated code says
 * which local schema version released apps may already run. A history that
 * ends below it (snapshot files deleted, the folder lost, an older branch's
 * history) would make this run emit a lower or different version, and
 * WatermelonDB resets a database whose version is above the app's. Never a
 * silent version 1: generation stops instead.
 */
export function regressionDiagnostics(latest: number, history: Pick<History, 'declared' | 'shown'>): Diagnostic[] {
  const highest = [...history.declared].sort((a, b) => b.version - a.version)[0];
  if (!highest || highest.version <= Math.max(latest, 1)) return [];
  const lost = latest === 0 ? 'holds no snapshot' : `ends at version ${latest}`;
  const missing =
    latest === 0 ? `${snapshotPath(1)} … ${snapshotPath(highest.version)}` : `${snapshotPath(latest + 1)} … ${snapshotPath(highest.version)}`;
  return [
    diagnostic(
      DiagnosticCode.regression,
      highest.at,
      `the generated code is at local schema version ${highest.version} but the migration history ${history.shown}/ ${lost}: devices may hold version ${highest.version}`,
      `Restore ${history.shown}/ (${missing}) from version control; it is source, like prisma/migrations. ` +
        'Generating from a shorter history would give released apps a lower or different schema version, and WatermelonDB resets such databases.',
    ),
  ];
}

/** Files directly in `dir` (a sub-folder is listed with a trailing `/`, so the chain reports it as unexpected). */
function listFolder(dir: string, prefix: string): SnapshotFile[] {
  if (!existsSync(dir)) return [];
  // A file where the folder should be: reported by the chain as an unexpected entry.
  if (!statSync(dir).isDirectory()) return [{ path: `${prefix}${basename(dir)}`, text: '' }];
  return (
    readdirSync(dir, { withFileTypes: true })
      // A killed run's temporary copy of a snapshot on another file system (write.ts): not part of the chain.
      .filter((entry) => !(entry.isFile() && isDeadRunSibling(entry.name)))
      .map((entry) => ({
        path: `${prefix}${entry.name}${entry.isDirectory() ? '/' : ''}`,
        text: entry.isFile() ? readFileSync(join(dir, entry.name), 'utf8') : '',
      }))
      .sort((a, b) => a.path.localeCompare(b.path))
  );
}

/**
 * `SCHEMA_VERSION` of the generated `watermelon/schema.ts` and the highest
 * `toVersion` of `watermelon/migrations.ts` in the output folder, located.
 */
function declaredVersions(outDir: string, shownOut: string): DeclaredVersion[] {
  const found: DeclaredVersion[] = [];
  const scan = (path: string, pattern: RegExp) => {
    const file = join(outDir, path);
    if (!existsSync(file)) return;
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, index) => {
        const match = pattern.exec(line);
        if (match) found.push({ version: Number(match[2]), at: { file: `${shownOut}/${path}`, line: index + 1, column: match[1]!.length + 1 } });
      });
  };
  scan('watermelon/schema.ts', /^(.*)export const SCHEMA_VERSION = (\d+);/);
  scan('watermelon/migrations.ts', /^(\s*)toVersion: (\d+),/);
  return found;
}

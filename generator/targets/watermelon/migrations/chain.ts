import { DiagnosticCode, diagnostic, type Diagnostic } from '../../../diagnostics';
import { applyChanges, sameLocalSchema } from '../../../ir/diff';
import { parsedSnapshotHash, snapshotPath, snapshotSchema, versionOfPath, type Snapshot } from './snapshot';

/** A file found in the migration history folder, path relative to it (`0003.json`). */
export interface SnapshotFile {
  path: string;
  text: string;
}

export interface ChainResult {
  /** Snapshots in version order, 1..N; empty when none was committed yet. */
  chain: Snapshot[];
  diagnostics: Diagnostic[];
}

const RESTORE_HINT =
  "Restore the history from version control. If two branches each added a version, keep one branch's snapshot files " +
  "and migrations.ts, delete the other's newer snapshot files, and run `trackhub-sync generate`: the remaining " +
  'differences become one new version.';

/**
 * Parse, validate (zod) and link the committed snapshots. The chain must run
 * from version 1 without gaps, each snapshot must name its predecessor's hash
 * (a mismatch means an edited file or a fork: two branches each added a
 * version), and each snapshot's tables must follow from its parent's tables
 * and its recorded changes.
 *
 * `shownHistory` is the history folder as diagnostics show it. Diagnostics
 * point at the key of the snapshot that breaks the chain (`"parent"`,
 * `"version"`, ...), or at the file's start.
 */
export function readChain(files: readonly SnapshotFile[], shownHistory: string): ChainResult {
  const diagnostics: Diagnostic[] = [];
  const texts = new Map(files.map((f) => [f.path, f.text]));
  const at = (path: string, key?: string) => ({ file: `${shownHistory}/${path}`, ...keyPosition(texts.get(path), key) });
  const fail = (path: string, message: string, hint = RESTORE_HINT, key?: string) =>
    diagnostics.push(diagnostic(DiagnosticCode.snapshot, at(path, key), message, hint));

  const byVersion = new Map<number, Snapshot>();
  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    const version = versionOfPath(file.path);
    if (version === null) {
      fail(file.path, 'unexpected file in the migration history', 'Snapshot files are named NNNN.json; keep other files out of the history folder.');
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(file.text);
    } catch (error) {
      fail(file.path, `snapshot is not valid JSON: ${(error as Error).message}`);
      continue;
    }
    const parsed = snapshotSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      fail(file.path, `snapshot is malformed at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
      continue;
    }
    if (parsed.data.version !== version) {
      fail(file.path, `snapshot says version ${parsed.data.version} but its file name says ${version}`, RESTORE_HINT, 'version');
      continue;
    }
    if (byVersion.has(version)) {
      fail(file.path, `two snapshot files claim version ${version} (forked chain)`);
      continue;
    }
    byVersion.set(version, parsed.data);
  }
  if (diagnostics.length > 0) return { chain: [], diagnostics };

  const chain: Snapshot[] = [];
  const last = Math.max(0, ...byVersion.keys());
  for (let version = 1; version <= last; version++) {
    const snapshot = byVersion.get(version);
    const path = snapshotPath(version);
    if (!snapshot) {
      fail(path, `snapshot version ${version} is missing: the chain from version 1 to ${last} is broken`);
      break;
    }
    const parent = chain.at(-1);
    // Every snapshot in the chain is zod's output (parsed above).
    const expectedParent = parent ? parsedSnapshotHash(parent) : null;
    if (snapshot.parent !== expectedParent) {
      fail(
        path,
        parent
          ? `snapshot version ${version} does not follow ${snapshotPath(version - 1)} (parent hash differs): the chain is broken or forked`
          : 'snapshot version 1 names a parent: the chain is broken',
        RESTORE_HINT,
        'parent',
      );
      break;
    }
    // Version 1 is created from its tables directly (WatermelonDB's setUpWithSchema): it has no changes.
    if (!parent && snapshot.changes.length > 0) {
      fail(path, 'snapshot version 1 records changes: the chain is broken', RESTORE_HINT, 'changes');
      break;
    }
    if (parent && !sameLocalSchema(applyChanges(parent.tables, snapshot.changes), snapshot.tables)) {
      fail(
        path,
        `snapshot version ${version}: its tables do not follow from ${snapshotPath(version - 1)} and its changes (edited by hand?)`,
        RESTORE_HINT,
        'tables',
      );
      break;
    }
    chain.push(snapshot);
  }
  return { chain: diagnostics.length > 0 ? [] : chain, diagnostics };
}

/** Line and column of `"key":` in a snapshot's text; the file's start when absent. */
function keyPosition(text: string | undefined, key: string | undefined): { line: number; column: number } {
  if (text === undefined || key === undefined) return { line: 1, column: 1 };
  const lines = text.split('\n');
  const index = lines.findIndex((l) => l.trimStart().startsWith(`"${key}":`));
  return index < 0 ? { line: 1, column: 1 } : { line: index + 1, column: lines[index]!.search(/\S/) + 1 };
}

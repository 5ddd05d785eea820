import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempFolders } from '../support/tempFolders';
import { listTree } from '../../generator/emit/compare';
import { REPO, treeHash } from '../support/cli';

// `generate` killed (SIGKILL) right before each of its file-system changes, then run again:
// the second run must finish the job exactly as one uninterrupted run does (README "Output
// layout"), leave nothing of the killed run behind, and never refuse its own files as foreign.

const BIN = join(REPO, 'bin/trackhub-sync.mjs');
const HOOK = join(REPO, 'tests/cli/support/killAtFsChange.mjs');
const ARGS = ['generate', '--allow-destructive'];
const EVERY = process.env.TRACKHUB_GENERATE_CRASH_ALL === '1';
const temp = tempFolders();

/** The example, generated and up to date, then changed: a column added, a model removed, a .proto message without its sync fields. */
function changedExample(): string {
  const dir = temp('trackhub-generate-crash-');
  cpSync(join(REPO, 'examples/trackhub-core'), dir, { recursive: true, filter: (from) => !from.includes('node_modules') });
  const path = join(dir, 'prisma/schema.prisma');
  const schema = readFileSync(path, 'utf8');
  const label = schema.indexOf('/// Reference data, maintained by the server.');
  const audit = schema.indexOf('/// Not synced: server-side audit log.');
  expect(label).toBeGreaterThan(0);
  writeFileSync(path, schema.slice(0, label).replace('  ratio     Float?\n', '  ratio     Float?\n  note      String?\n') + schema.slice(audit));
  // A message that lacks the sync fields: generate edits the user's .proto file.
  const proto = join(dir, 'proto/trackhub/core/v1/core.proto');
  const messages = readFileSync(proto, 'utf8');
  const stripped = messages.replace(/(message Comment \{[^}]*?)\n {2}\/\/ Offline-first sync fields[^}]*\}/, '$1\n}');
  expect(stripped).not.toBe(messages);
  writeFileSync(proto, stripped);
  return dir;
}

function generate(dir: string, killAt = 0) {
  const run = spawnSync(process.execPath, ['--import', HOOK, BIN, ...ARGS], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', TRACKHUB_KILL_ROOT: dir, TRACKHUB_KILL_AT: String(killAt) },
  });
  return { ...run, output: `${run.stdout}\n${run.stderr}` };
}

/** What a killed run may have left that is not part of the result: staging folders, temporary siblings. */
function leftovers(dir: string): string[] {
  const folders = readdirSync(dir).filter((name) => name.includes('.staging-'));
  return [...folders, ...listTree(dir).filter((path) => /\.trackhub-sync-\d+-\d+$/.test(path) || path.includes('.staging-'))];
}

describe('generate killed at any file-system change', () => {
  it('the next run completes it: the same tree as an uninterrupted run, nothing left behind', { timeout: EVERY ? 3_600_000 : 900_000 }, () => {
    const reference = changedExample();
    const clean = generate(reference);
    expect(clean.status, clean.output).toBe(0);
    // The scenario writes outside the output folder too: the message got its sync fields back, as the example has them.
    const proto = 'proto/trackhub/core/v1/core.proto';
    expect(readFileSync(join(reference, proto), 'utf8')).toBe(readFileSync(join(REPO, 'examples/trackhub-core', proto), 'utf8'));
    const changes = Number(/^FS CHANGES (\d+)$/m.exec(clean.stdout)?.[1]);
    // Staging writes, renames, removals, the history snapshot and the manifest: dozens of changes.
    expect(changes).toBeGreaterThan(20);
    const expected = treeHash(reference);
    expect(leftovers(reference)).toEqual([]);

    // Every change is a kill point under TRACKHUB_GENERATE_CRASH_ALL=1; otherwise the first few, the
    // last few and an even spread between them (each point costs two generate runs).
    const points = EVERY
      ? Array.from({ length: changes }, (_, i) => i + 1)
      : [...new Set([1, 2, 3, ...Array.from({ length: 8 }, (_, i) => Math.round(((i + 1) * changes) / 9)), changes - 2, changes - 1, changes])];
    for (const point of points) {
      const dir = changedExample();
      const killed = generate(dir, point);
      expect(killed.signal, `kill point ${point}: ${killed.output}`).toBe('SIGKILL');
      expect(killed.stdout).toMatch(new RegExp(`^KILL ${point} `, 'm'));
      const again = generate(dir);
      expect(again.status, `after the kill at ${killed.stdout.trim()}: ${again.output}`).toBe(0);
      expect(leftovers(dir), `after the kill at ${killed.stdout.trim()}`).toEqual([]);
      expect(treeHash(dir), `after the kill at ${killed.stdout.trim()}`).toBe(expected);
    }
  });
});

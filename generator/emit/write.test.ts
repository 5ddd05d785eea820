import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { treeHash } from '../../tests/support/cli';
import { DiagnosticsError } from '../diagnostics';
import type { GeneratedFile } from './generatedFile';
import { manifestFile } from './manifest';
import { readHistory } from '../targets/watermelon/migrations/history';
import { stageOutput, writeOutput } from './write';

// stageOutput is writeOutput's first half, run by `generate` while the parse
// check is still running: until apply, nothing but its staging folder exists.

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'trackhub-write-'));
  roots.push(root);
  mkdirSync(join(root, 'history'));
  writeFileSync(join(root, 'history/0001.json'), '{"v":1}\n');
  return root;
}

const generated: GeneratedFile[] = [
  { path: 'client/index.ts', contents: 'export const a = 1;\n' },
  { path: 'server/schema.graphql', contents: 'type Query { a: Int }\n' },
  { path: 'history/0002.json', contents: '{"v":2}\n', history: true },
];
const files = [...generated, manifestFile(generated)];

describe('stageOutput', () => {
  it('changes nothing but its staging folder until applied, and nothing at all once discarded', () => {
    const root = project();
    const before = treeHash(root);
    const staged = stageOutput(files, join(root, 'gen'), root);
    // Only the staging folder beside the output: no output folder, no history snapshot yet.
    expect(readdirSync(root).sort()).toEqual([expect.stringMatching(/^\.gen\.staging-/), 'history']);
    expect(readdirSync(join(root, 'history'))).toEqual(['0001.json']);
    staged.discard();
    expect(treeHash(root)).toBe(before);
    expect(readdirSync(root)).toEqual(['history']);
  });

  it('applied, writes exactly what writeOutput writes', () => {
    const staged = project();
    const direct = project();
    const stage = stageOutput(files, join(staged, 'gen'), staged);
    const summary = stage.apply();
    stage.discard();
    expect(summary).toEqual(writeOutput(files, join(direct, 'gen'), direct));
    expect(treeHash(staged)).toBe(treeHash(direct));
    expect(readFileSync(join(staged, 'history/0002.json'), 'utf8')).toBe('{"v":2}\n');
    expect(readdirSync(staged).sort()).toEqual(['gen', 'history']);
  });

  it('a refused folder: apply throws what writeOutput throws, and nothing was staged', () => {
    const root = project();
    mkdirSync(join(root, 'gen'));
    writeFileSync(join(root, 'gen/mine.ts'), 'export {};\n');
    const before = treeHash(root);
    const staged = stageOutput(files, join(root, 'gen'), root);
    expect(readdirSync(root).sort()).toEqual(['gen', 'history']);
    expect(() => staged.apply()).toThrow(DiagnosticsError);
    staged.discard();
    expect(() => writeOutput(files, join(root, 'gen'), root)).toThrow(DiagnosticsError);
    expect(treeHash(root)).toBe(before);
  });
});

describe('writeOutput after a killed run (tests/cli/generateCrash.test.ts kills real runs)', () => {
  it("removes the staging folder a dead run left, never a live run's", () => {
    const root = project();
    const exited = spawnSync(process.execPath, ['-e', '0']).pid;
    const dead = join(root, `.gen.staging-${exited}-1`);
    const live = join(root, `.gen.staging-${process.pid}-1`);
    const other = join(root, '.other.staging-1-1');
    for (const folder of [dead, live, other]) {
      mkdirSync(join(folder, 'client'), { recursive: true });
      writeFileSync(join(folder, 'client/index.ts'), 'half\n');
    }
    writeOutput(files, join(root, 'gen'), root);
    expect(existsSync(dead)).toBe(false);
    expect(readdirSync(root).sort()).toEqual(['.gen.staging-' + process.pid + '-1', '.other.staging-1-1', 'gen', 'history']);
    expect(readFileSync(join(root, 'gen/client/index.ts'), 'utf8')).toBe('export const a = 1;\n');
  });

  it('writes a history snapshot on another file system through a temporary sibling, and leaves none', () => {
    const root = project();
    const elsewhere = mkdtempSync('/dev/shm/trackhub-write-');
    roots.push(elsewhere);
    // The premise: the history really is on another file system than the output.
    expect(statSync(elsewhere).dev).not.toBe(statSync(root).dev);
    const snapshot: GeneratedFile = { path: `${relative(root, elsewhere)}/0002.json`, contents: '{"v":2}\n', history: true };
    const withRemote = [generated[0]!, snapshot, manifestFile([generated[0]!, snapshot])];
    writeOutput(withRemote, join(root, 'gen'), root);
    expect(readdirSync(elsewhere)).toEqual(['0002.json']);
    expect(readFileSync(join(elsewhere, '0002.json'), 'utf8')).toBe('{"v":2}\n');
  });

  it("passes over and then removes the temporary sibling a killed run left there, never a live run's", () => {
    const root = project();
    const elsewhere = mkdtempSync('/dev/shm/trackhub-write-');
    roots.push(elsewhere);
    writeFileSync(join(elsewhere, '0001.json'), '{"v":1}\n');
    // Killed after copying the next snapshot beside the history, before linking it.
    const dead = `0002.json.trackhub-sync-${spawnSync(process.execPath, ['-e', '0']).pid}-1`;
    const live = `0002.json.trackhub-sync-${process.ppid}-2`;
    for (const name of [dead, live]) writeFileSync(join(elsewhere, name), '{"v":2}\n');
    // The history's reader sees no unexpected file (TS300) in it: only the snapshot.
    expect(readHistory(elsewhere, join(root, 'gen'), root).history.files.map((f) => f.path)).toEqual(['0001.json', live]);
    const snapshot: GeneratedFile = { path: `${relative(root, elsewhere)}/0002.json`, contents: '{"v":2}\n', history: true };
    writeOutput([generated[0]!, snapshot, manifestFile([generated[0]!, snapshot])], join(root, 'gen'), root);
    expect(readdirSync(elsewhere).sort()).toEqual(['0001.json', '0002.json', live].sort());
  });
});

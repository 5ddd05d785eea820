import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MigrationWorkspace } from './support/workspace';

// The migration history is source that lives outside the output folder
// (README "Migrations"): the output can be deleted and regenerated at the same
// version, while a lost history stops generation instead of restarting at
// version 1 (the regression guard, TS302).

const workspaces: MigrationWorkspace[] = [];
const workspace = (name: string) => {
  const ws = new MigrationWorkspace(name);
  workspaces.push(ws);
  return ws;
};
afterAll(() => {
  for (const ws of workspaces) ws.dispose();
});

const migrationsOf = (ws: MigrationWorkspace) => readFileSync(join(ws.out, 'watermelon/migrations.ts'), 'utf8');
const versionOf = (ws: MigrationWorkspace) => Number(/SCHEMA_VERSION = (\d+);/.exec(readFileSync(join(ws.out, 'watermelon/schema.ts'), 'utf8'))![1]);

describe('the migration history outside the output folder', () => {
  const ws = workspace('history-v3');
  let migrations = '';
  beforeAll(async () => {
    for (const release of [0, 1, 2]) await ws.release(release);
    migrations = migrationsOf(ws);
  });

  it('holds one snapshot per version, and the output holds none', () => {
    expect(versionOf(ws)).toBe(3);
    expect(Object.keys(ws.historyBytes())).toEqual(['0001.json', '0002.json', '0003.json']);
    expect(Object.keys(ws.outputBytes()).filter((p) => p.endsWith('.json'))).toEqual(['.trackhub-sync-manifest.json']);
  });

  it('rm -rf of the output folder, then generate: the same schema version and the same migrations.ts', async () => {
    const history = ws.historyBytes();
    rmSync(ws.out, { recursive: true, force: true });
    const result = await ws.generate(2);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(versionOf(ws)).toBe(3);
    expect(migrationsOf(ws)).toBe(migrations);
    expect(ws.historyBytes()).toEqual(history);
    expect((await ws.generate(2, { check: true })).exitCode).toBe(0);
  });

  it('deleting the history folder with an output at version 3: exit 2, located TS302, nothing written', async () => {
    const saved = join(ws.root, 'saved-history');
    renameSync(ws.history, saved);
    try {
      const before = ws.outputBytes();
      for (const flags of [{}, { check: true }]) {
        const result = await ws.generate(2, flags);
        expect(result.exitCode).toBe(2);
        const schema = readFileSync(join(ws.out, 'watermelon/schema.ts'), 'utf8');
        const line = schema.split('\n').findIndex((l) => l.startsWith('export const SCHEMA_VERSION = 3;')) + 1;
        expect(result.stderr).toMatch(
          new RegExp(
            `^gen/watermelon/schema\\.ts:${line}:1 TS302 the generated code is at local schema version 3 but the migration history trackhub-sync/migrations/ holds no snapshot: devices may hold version 3$`,
            'm',
          ),
        );
        expect(result.stderr).toContain('Hint: Restore trackhub-sync/migrations/ (0001.json … 0003.json) from version control');
        expect(result.stderr).toContain('nothing written');
      }
      expect(ws.outputBytes()).toEqual(before);
      expect(ws.historyBytes()).toEqual({});
    } finally {
      renameSync(saved, ws.history);
    }
  });

  it('a history that ends below the output (a snapshot deleted): exit 2, TS302, nothing written', async () => {
    const last = join(ws.history, '0003.json');
    const saved = readFileSync(last, 'utf8');
    rmSync(last);
    try {
      const before = ws.outputBytes();
      const result = await ws.generate(2);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(
        /TS302 the generated code is at local schema version 3 but the migration history trackhub-sync\/migrations\/ ends at version 2/,
      );
      expect(ws.outputBytes()).toEqual(before);
      expect(Object.keys(ws.historyBytes())).toEqual(['0001.json', '0002.json']);
    } finally {
      writeFileSync(last, saved);
    }
    expect((await ws.generate(2, { check: true })).exitCode).toBe(0);
  });
});

describe("moving an earlier release's <out>/snapshots into the history", () => {
  /** The layout of releases before the history moved out: snapshots in gen/snapshots/, no manifest. */
  const oldLayout = (ws: MigrationWorkspace) => {
    mkdirSync(join(ws.out, 'snapshots'));
    for (const [name, text] of Object.entries(ws.historyBytes())) writeFileSync(join(ws.out, 'snapshots', name), text);
    rmSync(ws.history, { recursive: true });
    rmSync(join(ws.out, '.trackhub-sync-manifest.json'));
  };

  it('is automatic on the first run: same bytes, same version, the old folder removed, not counted as user files', async () => {
    const ws = workspace('history-move');
    for (const release of [0, 1]) await ws.release(release);
    const history = ws.historyBytes();
    const migrations = migrationsOf(ws);
    oldLayout(ws);

    expect((await ws.generate(1, { check: true })).exitCode).toBe(1);
    const result = await ws.generate(1);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('migration history: moved 2 snapshot(s) from gen/snapshots/ to trackhub-sync/migrations/');
    expect(result.stdout).toMatch(/, 2 removed$/m);
    expect(ws.historyBytes()).toEqual(history);
    expect(Object.keys(ws.outputBytes()).some((p) => p.startsWith('snapshots/'))).toBe(false);
    expect(versionOf(ws)).toBe(2);
    expect(migrationsOf(ws)).toBe(migrations);
    expect((await ws.generate(1, { check: true })).exitCode).toBe(0);
  });

  it('refuses (TS300) an old snapshot that the existing history lacks, instead of deleting it', async () => {
    const ws = workspace('history-move-conflict');
    for (const release of [0, 1]) await ws.release(release);
    const second = ws.historyBytes()['0002.json']!;
    rmSync(join(ws.history, '0002.json'));
    mkdirSync(join(ws.out, 'snapshots'));
    writeFileSync(join(ws.out, 'snapshots/0002.json'), second);
    const before = ws.outputBytes();
    const result = await ws.generate(1);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      'gen/snapshots/0002.json:1:1 TS300 snapshot of an earlier release that is not in the migration history trackhub-sync/migrations/',
    );
    expect(ws.outputBytes()).toEqual(before);
  });
});

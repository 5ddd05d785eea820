import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MigrationWorkspace } from './support/workspace';

// `generate --check` in CI: stale when the schema changed but the new snapshot
// (in the migration history) and migrations were not regenerated; an error when
// the history's chain is broken or forked (two branches each added a version).

const workspaces: MigrationWorkspace[] = [];
const workspace = (name: string) => {
  const ws = new MigrationWorkspace(name);
  workspaces.push(ws);
  return ws;
};
afterAll(() => {
  for (const ws of workspaces) ws.dispose();
});

describe('generate --check and the snapshot chain', () => {
  it('is up to date after generate, and stale (exit 1) when the schema changed without regenerating', async () => {
    const ws = workspace('check-stale');
    await ws.release(0);
    expect((await ws.generate(0, { check: true })).exitCode).toBe(0);
    const stale = await ws.generate(1, { check: true });
    expect(stale.exitCode).toBe(1);
    expect(stale.stdout).toContain('b/trackhub-sync/migrations/0002.json');
    expect(stale.stdout).toContain('b/watermelon/migrations.ts');
    expect(stale.stdout).toContain('+export const SCHEMA_VERSION = 2;');
  });

  it('fails (exit 2, TS300) when a snapshot is missing', async () => {
    const ws = workspace('check-missing');
    await ws.release(0);
    await ws.release(1);
    rmSync(join(ws.history, '0001.json'));
    const result = await ws.generate(1, { check: true });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('trackhub-sync/migrations/0001.json:1:1 TS300 snapshot version 1 is missing');
  });

  it('fails (exit 2, TS300) on a forked chain: a version from another branch on top of this one', async () => {
    const main = workspace('fork-main');
    for (const release of [0, 1, 2]) await main.release(release);
    const branch = workspace('fork-branch');
    for (const release of [0, 1, 3]) await branch.release(release);
    await branch.release(4, { allowDestructive: true });
    // The merge kept main's 0003.json and brought the branch's 0004.json.
    copyFileSync(join(branch.history, '0004.json'), join(main.history, '0004.json'));
    const before = main.outputBytes();
    const history = main.historyBytes();
    const result = await main.generate(2);
    expect(result.exitCode).toBe(2);
    // Located at the snapshot's "parent" key.
    expect(result.stderr).toMatch(
      /^trackhub-sync\/migrations\/0004\.json:4:3 TS300 snapshot version 4 does not follow 0003\.json \(parent hash differs\): the chain is broken or forked$/m,
    );
    expect(main.outputBytes()).toEqual(before);
    expect(main.historyBytes()).toEqual(history);
  });
});

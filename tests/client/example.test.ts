import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// `npm run example` (README's main command) plays its two-device session to the end.
const repo = fileURLToPath(new URL('../..', import.meta.url));

describe('npm run example', () => {
  it('ends with both devices and the server agreeing, exit 0', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'examples/trackhub-core/run.ts'], { cwd: repo, encoding: 'utf8', timeout: 120_000 });
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.stdout).toContain('conflict on Task (VERSION_MISMATCH)');
    expect(run.stdout).toContain('✓ both devices and the server agree');
    expect(run.stdout).not.toContain('≠ server');
    expect(run.status).toBe(0);
  }, 120_000);
});

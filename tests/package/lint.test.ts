import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, inject, it } from 'vitest';
import { REPO } from './support';
import { spawnSync } from 'node:child_process';

// The package's declarations as tools see them: publint (exports, files,
// bins) and arethetypeswrong (types resolution per subpath), on the tarball
// that the other tests install.

function tool(name: string, args: string[]) {
  const result = spawnSync(join(REPO, 'node_modules/.bin', name), args, {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

it('publint --strict and attw (ESM-only profile) find nothing; no test file is packed', () => {
  const dir = inject('packDir');
  const tarball = join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz'))!);
  const publint = tool('publint', ['run', tarball, '--strict']);
  expect(publint.status, publint.output).toBe(0);
  expect(publint.output).toMatch(/All good/);
  const attw = tool('attw', [tarball, '--profile', 'esm-only', '--format', 'ascii']);
  expect(attw.status, attw.output).toBe(0);
  const list = spawnSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  expect(list.filter((f) => /\.test\.|\/tests?\//.test(f))).toEqual([]);
  expect(list).toContain('package/dist/runtime/client/index.d.ts');
  expect(list.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
});

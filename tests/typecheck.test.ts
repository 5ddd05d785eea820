import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));

function typecheck(project: string): string {
  try {
    execFileSync(process.execPath, [tsc, '--noEmit', '-p', project], { cwd: root, encoding: 'utf8' });
    return '';
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? error);
  }
}

// tsc over the whole repository takes a minute on a quiet 2-core machine and several under load.
const TSC_TIMEOUT = 600_000;

describe('tsc --strict', () => {
  it(
    'every generated tree (golden cases and examples) type-checks',
    () => {
      expect(typecheck('tests/tsconfig.generated.json')).toBe('');
    },
    TSC_TIMEOUT,
  );

  it(
    'the generator, runtime, tests and examples type-check',
    () => {
      expect(typecheck('tsconfig.json')).toBe('');
    },
    TSC_TIMEOUT,
  );
});

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOLDEN_ROOT, goldenCases, runGoldenCase } from './support/golden';

// Whole-tree golden cases: a missing, changed or extra file fails with a unified diff.
// Rewrite expectations with UPDATE_GOLDEN=1 npm test, then review the diff like code.
describe('golden cases', () => {
  for (const name of goldenCases()) {
    it(name, async () => {
      const outcome = await runGoldenCase(name);
      const dir = join(GOLDEN_ROOT, name);
      if (outcome.kind === 'files') {
        expect(existsSync(join(dir, 'diagnostics.txt')), 'case expects diagnostics but generation succeeded').toBe(false);
        expect(outcome.problems, 'generated tree differs from expected/').toBe('');
        expect(outcome.irJson).toBe(readFileSync(join(dir, 'ir.json'), 'utf8'));
      } else {
        expect(outcome.expected, `case failed unexpectedly:\n${outcome.actual}`).not.toBeNull();
        expect(outcome.actual).toBe(outcome.expected);
      }
    });
  }
});

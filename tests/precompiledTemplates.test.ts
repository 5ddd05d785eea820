import { readdirSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { REPO } from './support/cli';
import { goldenCases, runGoldenCase } from './support/golden';

// The published CLI renders with templates precompiled at build time (tsup.config.ts puts
// templateSpecs.ts's output in place of generator/emit/precompiledTemplates.ts). Here that
// same output replaces the module, and every golden case must come out byte-identical.
vi.mock('../generator/emit/precompiledTemplates', async () => {
  const { precompiledTemplatesSource } = await import('../generator/emit/templateSpecs');
  return { precompiled: new Function(`return ${precompiledTemplatesSource(`${REPO}templates`)};`)() };
});

describe('templates precompiled as in the package build', () => {
  it('cover every template', async () => {
    const { precompiled } = await import('../generator/emit/precompiledTemplates');
    const count = readdirSync(`${REPO}templates`, { recursive: true }).filter((path) => String(path).endsWith('.hbs')).length;
    expect(Object.keys(precompiled ?? {})).toHaveLength(count);
    expect(Object.keys(precompiled ?? {})).toContain('watermelon/model');
  });

  for (const name of goldenCases()) {
    it(`render golden case ${name} unchanged`, async () => {
      const outcome = await runGoldenCase(name);
      if (outcome.kind === 'files') expect(outcome.problems).toBe('');
      else expect(outcome.actual).toBe(outcome.expected);
    });
  }
});

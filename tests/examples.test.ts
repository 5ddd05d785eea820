import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../generator/config';
import { compareTree } from '../generator/emit/compare';
import { runPipeline } from '../generator/pipeline';
import { REPO } from './support/cli';

// The committed generated code of every example is current: `generate --check` would pass.
describe('examples', () => {
  it.each(['trackhub-core'])('%s: committed generated code is up to date', async (name) => {
    const dir = join(REPO, 'examples', name);
    const config = await resolveConfig({ config: join(dir, 'trackhub-sync.config.json') }, dir);
    const cmp = compareTree(runPipeline(config).files, config.out, config.baseDir);
    expect(cmp.diff).toBe('');
    expect(cmp.unchanged.length).toBeGreaterThan(10);
  });
});

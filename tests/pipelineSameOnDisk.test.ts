import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../generator/config';
import { diskPath } from '../generator/emit/compare';
import { runPipelineAsync } from '../generator/pipeline';
import { scratchCopy } from './support/cli';

// The files rendering found on disk as generated (PipelineResult.sameOnDisk), which
// staging and `--check` take as unchanged instead of reading them again.
describe('the pipeline’s unchanged files', () => {
  const dir = scratchCopy('examples/trackhub-core');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('are the generated .ts files whose bytes on disk are the generated ones, and nothing else', async () => {
    const config = await resolveConfig({ config: join(dir, 'trackhub-sync.config.json') }, dir);
    const gone = join(config.out, 'client/index.ts');
    const edited = join(config.out, 'client/registry.ts');
    rmSync(gone);
    writeFileSync(edited, '// edited\n');
    let handed: unknown;
    const result = await runPipelineAsync(config, { whileChecking: (_files, sameOnDisk) => (handed = sameOnDisk) });
    expect(handed).toBe(result.sameOnDisk);
    const ts = result.files.filter((f) => f.path.endsWith('.ts')).map((f) => diskPath(f, config.out, config.baseDir));
    expect(ts).toContain(gone);
    expect(ts).toContain(edited);
    expect([...result.sameOnDisk].sort()).toEqual(ts.filter((p) => p !== gone && p !== edited).sort());
  });
});

import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../generator/config';
import { diskPath } from '../generator/emit/compare';
import { runPipelineAsync } from '../generator/pipeline';
import { scratchCopy } from './support/cli';

// What rendering read back from disk (PipelineResult.readBack), which staging and
// `--check` compare with instead of reading every file again.
describe('the pipeline’s read-back bytes', () => {
  const dir = scratchCopy('examples/trackhub-core');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('hold each generated .ts file as it is on disk, null for one that is not, and nothing else', async () => {
    const config = await resolveConfig({ config: join(dir, 'trackhub-sync.config.json') }, dir);
    const gone = join(config.out, 'client/index.ts');
    rmSync(gone);
    let handed: unknown;
    const result = await runPipelineAsync(config, { whileChecking: (_files, readBack) => (handed = readBack) });
    expect(handed).toBe(result.readBack);
    const ts = result.files.filter((f) => f.path.endsWith('.ts')).map((f) => diskPath(f, config.out, config.baseDir));
    expect([...result.readBack.keys()].sort()).toEqual(ts.sort());
    expect(result.readBack.get(gone)).toBeNull();
    for (const path of ts.filter((p) => p !== gone)) expect(result.readBack.get(path), path).toBe(readFileSync(path, 'utf8'));
  });
});

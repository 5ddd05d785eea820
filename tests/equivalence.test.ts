import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../generator/config';
import { runPipeline } from '../generator/pipeline';
import { GOLDEN_ROOT } from './support/golden';

// README "Annotations": equivalent Prisma and GraphQL inputs produce byte-identical client outputs.
const CLIENT_SIDE = /^(watermelon|client)\//;

async function clientFiles(caseName: string): Promise<Map<string, string>> {
  const dir = join(GOLDEN_ROOT, caseName);
  const config = await resolveConfig({ config: join(dir, 'trackhub-sync.config.json') }, dir);
  return new Map(
    runPipeline(config)
      .files.filter((f) => CLIENT_SIDE.test(f.path))
      .map((f) => [f.path, f.contents]),
  );
}

describe('Prisma and SDL inputs', () => {
  it('describing the same entities give byte-identical WatermelonDB and client output', async () => {
    const prisma = await clientFiles('equivalent-prisma');
    const sdl = await clientFiles('equivalent-sdl');
    expect([...prisma.keys()].filter((p) => p.startsWith('watermelon/')).length).toBeGreaterThan(5);
    expect([...sdl.keys()]).toEqual([...prisma.keys()]);
    for (const [path, contents] of prisma) expect(sdl.get(path), path).toBe(contents);
  });
});

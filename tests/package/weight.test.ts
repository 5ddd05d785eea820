import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, inject, it } from 'vitest';
import { WEIGHT_TARGET_MB, mb, measureInstall } from '../../scripts/weight';

// `npm run weight`: packages and megabytes the tarball adds to an empty app.
it(`installing the packed tarball into an empty app stays under ${WEIGHT_TARGET_MB} MB`, () => {
  const dir = inject('packDir');
  const tarball = join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz'))!);
  const weight = measureInstall(tarball);
  process.stderr.write(
    `install weight: ${weight.packages} packages, ${mb(weight.bytes)} MB; largest: ${weight.largest
      .slice(0, 5)
      .map((p) => `${p.name} ${mb(p.bytes)}`)
      .join(', ')}\n`,
  );
  const names = weight.largest.map((p) => p.name);
  // Build and server tools are not what an app installs with the package.
  for (const heavy of [
    'typescript',
    'tsx',
    'prisma',
    '@prisma/client',
    '@prisma/internals',
    'graphql-yoga',
    'better-sqlite3',
    '@tus/server',
    '@tus/file-store',
  ])
    expect(names).not.toContain(heavy);
  expect(weight.bytes).toBeLessThan(WEIGHT_TARGET_MB * 1_000_000);
});

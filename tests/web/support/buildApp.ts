import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, appFolder, run } from '../../package/support';

/**
 * What the browser tests run, at their repository paths: the test app's
 * pages and the generated code they import (the example's client and
 * models, the `migrate-rename` golden case's version 2 and its version-1
 * snapshot), and the example sync server with its generated server code,
 * Prisma schema and table set-up. Copied with the same layout, so relative
 * imports hold in the repository (for tsc) and in the test project alike.
 */
const FILES = [
  'tests/web/app',
  'examples/trackhub-core/generated/client',
  'examples/trackhub-core/generated/watermelon',
  'tests/golden/migrate-rename/expected/watermelon',
  'tests/golden/migrate-rename/trackhub-sync/migrations/0001.json',
  'examples/trackhub-core/server',
  'examples/trackhub-core/generated/server',
  'examples/trackhub-core/prisma/schema.prisma',
  'tests/support/prismaDb.ts',
];

/** The web project: the built site, and the folder the example server runs from. */
export interface WebProject {
  dir: string;
  site: string;
}

/**
 * Set up the browser tests' project as users set up theirs on the packed
 * package: a folder of the project the tarball was installed into
 * (tests/package/globalSetup.ts), whose `trackhub-sync`, `@nozbe/watermelondb`,
 * Vite, Prisma and graphql-yoga come from that project's node_modules through
 * the package's exports (no alias to this repository's sources). Builds the
 * app with plain `vite build`.
 */
export function prepareWebProject(): WebProject {
  const dir = appFolder('web');
  for (const path of FILES) cpSync(join(REPO, path), join(dir, path), { recursive: true, filter: (from) => !from.includes('prisma-client') });
  // The generated models use WatermelonDB's legacy decorators (README "Generated code").
  writeFileSync(
    join(dir, 'tsconfig.json'),
    `${JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'Bundler',
          resolveJsonModule: true,
          experimentalDecorators: true,
          useDefineForClassFields: false,
        },
      },
      null,
      2,
    )}\n`,
  );
  writeFileSync(
    join(dir, 'vite.config.js'),
    [
      '// Plain Vite: the package needs no plugin, alias or externals. Two pages.',
      'export default {',
      "  root: 'tests/web/app',",
      '  build: {',
      "    outDir: '../../../dist',",
      '    emptyOutDir: true,',
      '    minify: false,',
      "    target: 'es2022',",
      '    reportCompressedSize: false,',
      "    rollupOptions: { input: { index: 'tests/web/app/index.html', migrate: 'tests/web/app/migrate.html' } },",
      '  },',
      '};',
      '',
    ].join('\n'),
  );
  const build = run('npx', ['vite', 'build'], dir);
  if (build.status !== 0) throw new Error(`vite build failed:\n${build.output}`);
  // Nothing Node-only reached the bundle.
  if (/better-sqlite3|externalized for browser compatibility/.test(build.output))
    throw new Error(`vite build pulled in Node-only code:\n${build.output}`);
  return { dir, site: join(dir, 'dist') };
}

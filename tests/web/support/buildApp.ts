import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Where the app takes `trackhub-sync` from. 'repo': the source folders of this
 * repository (a Vite alias). 'installed': a project folder whose
 * node_modules holds the packed package, resolved as users resolve it
 * (package exports, no alias) — switch to it once the packaging harness
 * provides that folder.
 */
export type PackageSource = { kind: 'repo' } | { kind: 'installed'; projectDir: string };

/** Build tests/web/app with Vite into `outDir` (once per test run). */
export async function buildWebApp(outDir: string, source: PackageSource = { kind: 'repo' }): Promise<void> {
  await build({
    configFile: false,
    root: fileURLToPath(new URL('../app/', import.meta.url)),
    logLevel: 'warn',
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    resolve: {
      alias: source.kind === 'repo' ? [{ find: /^trackhub-sync\/(runtime\/.*)$/, replacement: `${repo}$1/index.ts` }] : [],
    },
    ...(source.kind === 'installed' ? { cacheDir: `${source.projectDir}/.vite` } : {}),
    build: {
      outDir,
      emptyOutDir: true,
      minify: false,
      target: 'es2022',
      reportCompressedSize: false,
      rollupOptions: {
        input: {
          index: fileURLToPath(new URL('../app/index.html', import.meta.url)),
          migrate: fileURLToPath(new URL('../app/migrate.html', import.meta.url)),
        },
      },
    },
  });
}

import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { build, type Plugin } from 'esbuild';
import { defineConfig } from 'tsup';
import { precompiledTemplatesSource } from './generator/emit/templateSpecs';

/**
 * The published build (README "Development"): compiled ESM and bundled `.d.ts`,
 * one entry per `exports` subpath and bin. A bundler rather than plain `tsc`
 * because the sources use extensionless relative imports, which Node's ESM
 * loader cannot resolve; shared code lands in chunks under dist/. Every
 * dependency and peer dependency stays external (tsup's default).
 */
// A new public subpath (e.g. runtime/client/loki for the browser, runtime/react,
// a shared protocol module) is one line here plus its `exports` entry in
// package.json (types + default); code only imported by other entries needs
// neither, it is bundled into them.
export const entries = {
  index: 'generator/index.ts',
  codegen: 'generator/integrations/codegen/preset.ts',
  'runtime/client/index': 'runtime/client/index.ts',
  'runtime/client/sqlite/index': 'runtime/client/sqlite/index.ts',
  'runtime/client/loki/index': 'runtime/client/loki/index.ts',
  'runtime/client/browser/index': 'runtime/client/browser/index.ts',
  'runtime/client/node/index': 'runtime/client/node/index.ts',
  'runtime/react/index': 'runtime/react/index.ts',
  'runtime/react-native/index': 'runtime/react-native/index.ts',
  'runtime/server/index': 'runtime/server/index.ts',
  'runtime/server/tus/index': 'runtime/server/tus/index.ts',
  'runtime/watermelon/index': 'runtime/watermelon/index.ts',
  'bin/trackhub-sync': 'bin/main.ts',
  'bin/prisma-generator': 'bin/prisma-generator.ts',
};

/**
 * The package's CLI renders with templates precompiled here instead of
 * compiling every `.hbs` file at each run (docs/PERFORMANCE.md "Generate"):
 * generator/emit/precompiledTemplates.ts is replaced by the specs.
 */
export const precompiledTemplates: Plugin = {
  name: 'precompiled-templates',
  setup(build) {
    build.onLoad({ filter: /generator[\\/]emit[\\/]precompiledTemplates\.ts$/ }, () => ({
      contents: `export const precompiled = ${precompiledTemplatesSource('templates')};\n`,
      loader: 'js',
    }));
  },
};

/**
 * Stands for the bundle's build id (generator/emit/buildId.ts) until the
 * bundle is written: then it is replaced by the SHA-256 of the bundle's text
 * holding it, which that text determines (and so the code that renders).
 */
const BUILD_ID_PLACEHOLDER = 'trackhub-sync build id: replaced by the SHA-256 of this bundle..';

const buildIdOfBundle: Plugin = {
  name: 'build-id',
  setup(build) {
    build.onLoad({ filter: /generator[\\/]emit[\\/]buildId\.ts$/ }, () => ({
      contents: `export const BUILD_ID = ${JSON.stringify(BUILD_ID_PLACEHOLDER)};\n`,
      loader: 'js',
    }));
  },
};

/** The bundle's text with its build id in place of the placeholder (same length: offsets do not move). */
function withBuildId(text: string): string {
  if (text.split(BUILD_ID_PLACEHOLDER).length !== 2) throw new Error('the CLI bundle must hold the build id placeholder exactly once');
  const id = createHash('sha256').update(text).digest('hex');
  return text.replace(BUILD_ID_PLACEHOLDER, id);
}

/**
 * The `trackhub-sync` bin's program as one CommonJS file, dist/bin/cli.cjs,
 * loaded by dist/bin/trackhub-sync.js (bin/main.ts): Node loads one script
 * several times faster than the ES modules it is made of (ours in chunks, zod's
 * dozens of files), and every `generate` pays that load (docs/PERFORMANCE.md
 * "Generate"). The libraries every run loads are inside it; the ones a run
 * loads only when it needs them (TypeScript for the parse check, graphql for
 * SDL input, protobufjs, diff, tsx for a TypeScript config) and Prisma's
 * schema engine (it reads its WebAssembly beside its own file) stay external,
 * resolved from the installed package as before. `import.meta.url` is this
 * file's URL, so the package's own files resolve as in the ESM build.
 */
export async function buildCliBundle(outfile = 'dist/bin/cli.cjs'): Promise<void> {
  const { outputFiles } = await build({
    entryPoints: ['bin/trackhub-sync.ts'],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    tsconfig: 'tsconfig.build.json',
    external: ['typescript', 'graphql', 'protobufjs', 'diff', 'tsx', 'tsx/*', '@prisma/prisma-schema-wasm', '@prisma/generator-helper'],
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    plugins: [precompiledTemplates, buildIdOfBundle],
    logLevel: 'warning',
    write: false,
  });
  const [bundle] = outputFiles;
  if (outputFiles.length !== 1 || !bundle) throw new Error(`expected one output file, got ${outputFiles.length}`);
  writeFileSync(outfile, withBuildId(bundle.text));
}

export default defineConfig({
  entry: entries,
  outDir: 'dist',
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  splitting: true,
  clean: true,
  sourcemap: false,
  tsconfig: 'tsconfig.build.json',
  esbuildPlugins: [precompiledTemplates],
  dts: { entry: Object.fromEntries(Object.entries(entries).filter(([name]) => !name.startsWith('bin/'))) },
  // After the ESM build, which cleans dist/ first.
  onSuccess: () => buildCliBundle(),
});

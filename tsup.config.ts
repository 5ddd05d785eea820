import type { Plugin } from 'esbuild';
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
});

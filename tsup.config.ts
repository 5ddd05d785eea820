import { defineConfig } from 'tsup';

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
  dts: { entry: Object.fromEntries(Object.entries(entries).filter(([name]) => !name.startsWith('bin/'))) },
});

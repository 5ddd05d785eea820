import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Generated code imports the runtime by package name; inside this repo it is the source folder.
    alias: [{ find: /^trackhub-sync\/runtime\/(.*)$/, replacement: fileURLToPath(new URL('./runtime/$1/index.ts', import.meta.url)) }],
  },
  test: {
    include: ['generator/**/*.test.ts', 'runtime/**/*.test.ts', 'tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});

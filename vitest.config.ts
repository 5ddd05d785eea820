import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Generated code imports the runtime by package name; inside this repo it is the source folder
    // (`trackhub-sync/runtime/client/sqlite` → runtime/client/sqlite/index.ts).
    alias: [
      { find: /^trackhub-sync\/runtime\/(.*)$/, replacement: fileURLToPath(new URL('./runtime/$1/index.ts', import.meta.url)) },
      // One graphql module, as under Node: vite would otherwise load graphql's .mjs build for source files
      // while graphql-yoga (external) loads the CommonJS one, and yoga's `instanceof GraphQLError` fails.
      { find: /^graphql$/, replacement: fileURLToPath(new URL('./node_modules/graphql/index.js', import.meta.url)) },
    ],
  },
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'repo',
          include: ['protocol/**/*.test.ts', 'generator/**/*.test.ts', 'runtime/**/*.test.ts', 'tests/**/*.test.ts'],
          exclude: ['tests/package/**', 'tests/web/web.test.ts', '**/node_modules/**'],
          // Generates the example's Prisma Clients (build output) once for the server tests.
          globalSetup: ['tests/server/globalSetup.ts'],
        },
      },
      {
        extends: true,
        test: {
          // The published package as users get it: `npm pack` once, installed once into a temporary
          // project, never linking this repository (tests/package/globalSetup.ts). The browser tests
          // build their web app there too.
          name: 'package',
          include: ['tests/package/**/*.test.ts', 'tests/web/web.test.ts'],
          globalSetup: ['tests/package/globalSetup.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});

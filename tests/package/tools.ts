/**
 * What the packed-tarball tests install beside trackhub-sync, as a team's
 * apps would: one install per test run (tests/package/globalSetup.ts).
 * Versions are this repository's where it has them.
 */
export const APP_TOOLS = [
  // The peers and the compiler (TypeScript 7 is what `npm install typescript` gives today: pin 5).
  '@nozbe/watermelondb@0.28.0',
  'graphql@16.15.0',
  'zod@4.6.7',
  'typescript@5.9.3',
  // WatermelonDB's SQLite adapter on Node, and the backend: yoga over Prisma 7 with driver adapters.
  'better-sqlite3@12.11.1',
  'graphql-yoga@5.24.1',
  'prisma@7.10.0',
  '@prisma/client@7.10.0',
  '@prisma/adapter-better-sqlite3@7.10.0',
  '@prisma/adapter-pg@7.10.0',
  'pg@8.23.1',
  // Tables without the schema-engine binary (README "Server walkthrough").
  '@prisma/schema-engine-wasm@7.10.0-4.0edf323efd1d98336f3f0a68684b56f689b900d3',
  '@prisma/driver-adapter-utils@7.10.0',
  // Files (media): the optional peers of tusStorage and tusUploadTransport.
  '@tus/server@2.4.5',
  '@tus/file-store@2.1.1',
  'tus-js-client@4.3.1',
  // A TypeScript config (trackhub-sync.config.ts) is loaded through tsx, an optional peer.
  'tsx@4.23.15',
  // The web app and the browser driving it (Debian's chromium, no browser download).
  'vite@8.3.8',
  'playwright-core@1.65.1',
  // React Native's bundler, the newest line that runs on Node 20.
  'metro@0.83.8',
  '@react-native/metro-config@0.81.5',
  '@babel/core@7.29.16',
  '@babel/plugin-proposal-decorators@7.29.7',
];

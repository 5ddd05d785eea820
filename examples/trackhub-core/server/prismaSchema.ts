import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Databases the example server runs on. */
export type Provider = 'sqlite' | 'postgresql';

const EXAMPLE = fileURLToPath(new URL('..', import.meta.url));

/** The app's schema and the models trackhub-sync generated for its server (server/prisma/sync.prisma). */
export const SCHEMA_INPUTS = [`${EXAMPLE}prisma/schema.prisma`, `${EXAMPLE}generated/server/prisma/sync.prisma`];

/** Where `prisma generate` writes the client of each provider (not committed; see prepare.ts). */
export function clientDir(provider: Provider): string {
  return fileURLToPath(new URL(`./prisma-client/${provider}/`, import.meta.url));
}

/**
 * The Prisma schema of the example for one provider: the app's models plus
 * the generated sync models, with the generator and datasource blocks
 * replaced (the same models run on SQLite and PostgreSQL).
 */
export function composeSchema(provider: Provider): string {
  const strip = (text: string) => text.replace(/^(generator|datasource)\s+\w+\s*\{[^}]*\}\s*$/gm, '');
  const body = SCHEMA_INPUTS.map((file) => strip(readFileSync(file, 'utf8'))).join('\n');
  return [
    'generator client {',
    '  provider = "prisma-client"',
    `  output   = "${clientDir(provider)}"`,
    '}',
    '',
    'datasource db {',
    `  provider = "${provider}"`,
    '}',
    '',
    body,
  ].join('\n');
}

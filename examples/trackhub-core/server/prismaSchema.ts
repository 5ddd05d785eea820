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
 * A Prisma schema from several files for one provider and client folder: the
 * generator and datasource blocks of the inputs are replaced, so the same
 * models run on SQLite and PostgreSQL.
 */
export function composePrismaSchema(inputs: readonly string[], provider: Provider, output: string): string {
  const strip = (text: string) => text.replace(/^(generator|datasource)\s+\w+\s*\{[^}]*\}\s*$/gm, '');
  const body = inputs.map((file) => strip(readFileSync(file, 'utf8'))).join('\n');
  return [
    'generator client {',
    '  provider = "prisma-client"',
    `  output   = "${output}"`,
    '}',
    '',
    'datasource db {',
    `  provider = "${provider}"`,
    '}',
    '',
    body,
  ].join('\n');
}

/** The example's schema for one provider: the app's models plus the generated sync models. */
export function composeSchema(provider: Provider): string {
  return composePrismaSchema(SCHEMA_INPUTS, provider, clientDir(provider));
}

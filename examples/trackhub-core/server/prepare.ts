import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { clientDir, composeSchema, type Provider } from './prismaSchema';

const require = createRequire(import.meta.url);

/**
 * Run `prisma generate` for a schema whose generator writes to `outputDir`,
 * unless the client there was generated from the same schema text. Clients
 * are build output (not committed).
 *
 * `prisma generate` never runs the schema engine, but tries to download it
 * when missing; `PRISMA_SCHEMA_ENGINE_BINARY=/bin/true` stops that (ENVIRONMENT.md).
 */
export function ensurePrismaClient(schema: string, outputDir: string): void {
  const dir = outputDir.endsWith('/') ? outputDir : `${outputDir}/`;
  const hash = createHash('sha256').update(schema).digest('hex');
  const stamp = `${dir}.schema-hash`;
  if (existsSync(`${dir}client.ts`) && existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return;
  const schemaFile = `${dir.slice(0, -1)}.schema.prisma`;
  mkdirSync(dirname(schemaFile), { recursive: true });
  writeFileSync(schemaFile, schema);
  execFileSync(process.execPath, [require.resolve('prisma/build/index.js'), 'generate', '--schema', schemaFile], {
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    stdio: 'pipe',
  });
  writeFileSync(stamp, hash);
}

/** The example's Prisma Client for each provider (tests run this in their global setup, the server at start). */
export function ensurePrismaClients(providers: readonly Provider[] = ['sqlite', 'postgresql']): void {
  for (const provider of providers) ensurePrismaClient(composeSchema(provider), clientDir(provider));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) ensurePrismaClients();

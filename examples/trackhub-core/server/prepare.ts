import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { clientDir, composeSchema, type Provider } from './prismaSchema';

const require = createRequire(import.meta.url);
const WORK = fileURLToPath(new URL('./.prisma/', import.meta.url));

/**
 * Generate the example's Prisma Client for each provider, unless the one on
 * disk was generated from the same schema. The clients are build output (not
 * committed): tests run this in their global setup, the example server at start.
 *
 * `prisma generate` never runs the schema engine, but tries to download it
 * when missing; `PRISMA_SCHEMA_ENGINE_BINARY=/bin/true` stops that (ENVIRONMENT.md).
 */
export function ensurePrismaClients(providers: readonly Provider[] = ['sqlite', 'postgresql']): void {
  const cli = require.resolve('prisma/build/index.js');
  for (const provider of providers) {
    const schema = composeSchema(provider);
    const hash = createHash('sha256').update(schema).digest('hex');
    const stamp = `${clientDir(provider)}.schema-hash`;
    if (existsSync(`${clientDir(provider)}client.ts`) && existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) continue;
    mkdirSync(`${WORK}${provider}`, { recursive: true });
    const schemaFile = `${WORK}${provider}/schema.prisma`;
    writeFileSync(schemaFile, schema);
    execFileSync(process.execPath, [cli, 'generate', '--schema', schemaFile], {
      env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      stdio: 'pipe',
    });
    writeFileSync(stamp, hash);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) ensurePrismaClients();

import { pathToFileURL } from 'node:url';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type { PrismaLike, SqlDialect } from 'trackhub-sync/runtime/server';
import { pushSchema } from '../../../tests/support/prismaDb';
import { ensurePrismaClient } from './prepare';
import { clientDir, composeSchema, type Provider } from './prismaSchema';

/** A Prisma Client of the example schema (delegates typed loosely: the client is build output). */
export type ExamplePrisma = PrismaLike & {
  $disconnect(): Promise<void>;
  [delegate: string]: unknown;
};

export interface ExampleDatabase {
  prisma: ExamplePrisma;
  dialect: SqlDialect;
  close(): Promise<void>;
}

/** A Prisma schema and the folder its client is generated into, per provider. */
export type ClientSource = (provider: Provider) => { schema: string; dir: string };

const exampleClient: ClientSource = (provider) => ({ schema: composeSchema(provider), dir: clientDir(provider) });

/**
 * Open the example database: SQLite file through `@prisma/adapter-better-sqlite3`,
 * or PostgreSQL through `@prisma/adapter-pg`. Tables are created or brought up
 * to date first (Prisma's wasm schema engine, no engine binary).
 */
export async function openDatabase(
  target: { file: string; journal?: 'wal' | 'default' } | { url: string },
  source: ClientSource = exampleClient,
): Promise<ExampleDatabase> {
  const provider: Provider = 'url' in target ? 'postgresql' : 'sqlite';
  const { schema, dir } = source(provider);
  ensurePrismaClient(schema, dir);
  const adapter = 'url' in target ? new PrismaPg({ connectionString: target.url }) : new PrismaBetterSqlite3({ url: `file:${target.file}` });
  await pushSchema(schema, adapter);
  const { PrismaClient } = (await import(pathToFileURL(`${dir.endsWith('/') ? dir : `${dir}/`}client.ts`).href)) as {
    PrismaClient: new (options: { adapter: unknown }) => ExamplePrisma;
  };
  const prisma = new PrismaClient({ adapter });
  // WAL lets readers run beside the writer (SQLite's single-writer rule still holds).
  // `journal: 'default'` keeps SQLite's rollback journal (benchmarks compare both).
  if ('file' in target && target.journal !== 'default') await prisma.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  return { prisma, dialect: provider, close: () => prisma.$disconnect() };
}

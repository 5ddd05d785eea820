import { join } from 'node:path';
import type { Database } from '@nozbe/watermelondb';
import type { AppSchema } from '@nozbe/watermelondb/Schema';
import { logger } from '@nozbe/watermelondb/utils/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../support/watermelon';
import { readTable, schemaDefinition, seedEveryTable, seedRows } from './support/rows';
import { MigrationWorkspace } from './support/workspace';

// README "Migrations" on the real WatermelonDB SQLite adapter (better-sqlite3): a database
// created and filled by one release of the generated code is opened by a
// later release and migrated by the generated migrations.ts. Nothing may be
// lost, nothing reset, and the result must equal a database created fresh.

logger.silence();
const ws = new MigrationWorkspace('upgrade');
afterAll(() => ws.dispose());

/** Schema version of each release in SCHEMAS (0-based index -> version). */
const versions: number[] = [];
beforeAll(async () => {
  for (let release = 0; release < 4; release++) versions.push(await ws.release(release));
});

/** Wait for the adapter's setup or migration: the first query runs after it. */
async function ready(db: Database): Promise<Database> {
  await db.get('tasks').query().fetchCount();
  return db;
}

/** Create a database file at `version` and fill every table; returns the seeded schema. */
async function createFilled(version: number, file: string): Promise<AppSchema> {
  const code = await ws.load(version);
  const db = await ready(openDatabase('sqlite', code, file));
  await seedEveryTable(db, code.schema);
  return code.schema;
}

/** Every seeded row and value of `seeded` is in `db`, unchanged. */
async function expectEverySeededRowKept(db: Database, seeded: AppSchema): Promise<void> {
  for (const table of Object.keys(seeded.tables)) {
    const rows = await readTable(db, table);
    const expected = seedRows(seeded, table);
    expect(rows.size, `rows of ${table}`).toBe(expected.length);
    for (const row of expected) {
      const actual = rows.get(row.id as string);
      expect(actual, `${table} ${String(row.id)}`).toBeDefined();
      for (const [column, value] of Object.entries(row)) expect(actual![column], `${table}.${column} of ${String(row.id)}`).toEqual(value);
    }
  }
}

/** Each row of `table` reads `defaults` for the columns a migration added. */
async function expectDefaults(db: Database, table: string, defaults: Record<string, unknown>): Promise<void> {
  const rows = await readTable(db, table);
  expect(rows.size).toBeGreaterThan(0);
  for (const row of rows.values()) for (const [column, value] of Object.entries(defaults)) expect(row[column], `${table}.${column}`).toEqual(value);
}

describe('generated migrations on the SQLite adapter', () => {
  it('gives each schema change its own version, each release one', () => {
    expect(versions).toEqual([1, 2, 3, 4]);
  });

  it('N -> N+1: keeps every row and value; new columns read their documented defaults; new tables exist', async () => {
    const file = join(ws.root, 'v1-to-v2.db');
    const seeded = await createFilled(1, file);
    const code = await ws.load(2);
    const db = await ready(openDatabase('sqlite', code, file));
    await expectEverySeededRowKept(db, seeded);
    // Optional columns read null; required ones WatermelonDB's empty value ('' / 0 / false), which the re-pull then replaces.
    await expectDefaults(db, 'tasks', { due: null, score: 0, flag: false, label: '' });
    expect(await db.get('labels').query().fetchCount()).toBe(0);
    expect(code.repullAfterMigration).toEqual({ 2: ['Label', 'Task'] });
    expect(schemaDefinition(file)).toEqual(await freshDefinition(2));
    // The index on the existing column exists under WatermelonDB's own name.
    expect(schemaDefinition(file).indexes).toHaveProperty('tasks_title', { table: 'tasks', columns: ['title'] });
  });

  it('N -> N+3 in one go: keeps every row and value and ends like a fresh database', async () => {
    const file = join(ws.root, 'v1-to-v4.db');
    const seeded = await createFilled(1, file);
    const code = await ws.load(4);
    const db = await ready(openDatabase('sqlite', code, file));
    await expectEverySeededRowKept(db, seeded);
    await expectDefaults(db, 'tasks', { due: null, score: 0, flag: false, label: '' });
    await expectDefaults(db, 'projects', { code: '', color: null });
    expect(await db.get('comments').query().fetchCount()).toBe(0);
    expect(code.repullAfterMigration).toEqual({ 2: ['Label', 'Task'], 3: ['Project'], 4: ['Comment', 'Label'] });
    expect(schemaDefinition(file)).toEqual(await freshDefinition(4));
  });

  it('N -> N+1 from a later version: rows of a table added by an earlier migration survive too', async () => {
    const file = join(ws.root, 'v3-to-v4.db');
    const seeded = await createFilled(3, file);
    const db = await ready(openDatabase('sqlite', await ws.load(4), file));
    await expectEverySeededRowKept(db, seeded);
    await expectDefaults(db, 'labels', { hue: null });
    expect(schemaDefinition(file)).toEqual(await freshDefinition(4));
  });
});

async function freshDefinition(version: number) {
  const file = join(ws.root, `fresh-v${version}.db`);
  await ready(openDatabase('sqlite', await ws.load(version), file));
  return schemaDefinition(file);
}

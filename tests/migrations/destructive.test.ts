import { join } from 'node:path';
import type { Database } from '@nozbe/watermelondb';
import { logger } from '@nozbe/watermelondb/utils/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../support/watermelon';
import { readTable, schemaDefinition, seedEveryTable, seedRows } from './support/rows';
import { MigrationWorkspace } from './support/workspace';

// README "Migrations": a destructive change (here: Task.note is dropped) stops generation
// unless allowed; once allowed it is an explicit SQL step that drops exactly
// that column on a real SQLite database and keeps everything else.

logger.silence();
const ws = new MigrationWorkspace('destructive');
afterAll(() => ws.dispose());

const DB = () => join(ws.root, 'app.db');
beforeAll(async () => {
  for (let release = 0; release < 4; release++) await ws.release(release);
  const code = await ws.load(4);
  const db = openDatabase('sqlite', code, DB());
  await seedEveryTable(db, code.schema);
});

async function ready(db: Database): Promise<Database> {
  await db.get('tasks').query().fetchCount();
  return db;
}

describe('a destructive change', () => {
  it('without permission exits 2, names the table and column, and writes nothing', async () => {
    const before = ws.outputBytes();
    const result = await ws.generate(4);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("TS301 table 'tasks' › column 'note' was removed: dropping it deletes its values on every device");
    expect(result.stderr).toContain('"allow": ["tasks.note"]');
    expect(ws.outputBytes()).toEqual(before);
    // --check refuses it the same way: CI cannot pass over an unapproved drop.
    expect((await ws.generate(4, { check: true })).exitCode).toBe(2);
  });

  it('with --allow-destructive migrates: the column is gone and every other row and value survived', async () => {
    const result = await ws.generate(4, { allowDestructive: true });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain("TS301 warning: table 'tasks' › column 'note' was removed: emitted as an explicit SQL step in version 5");
    expect(result.stdout).toContain('local schema: version 5, new migration step: dropColumn tasks.note');
    expect(await ws.release(4)).toBe(5);

    const previous = await ws.load(4);
    const db = await ready(openDatabase('sqlite', await ws.load(5), DB()));
    const taskColumns = (schemaDefinition(DB()).tables.tasks as string[][]).map((c) => c[0]);
    expect(taskColumns).toContain('title');
    expect(taskColumns).not.toContain('note');
    for (const table of Object.keys(previous.schema.tables)) {
      const rows = await readTable(db, table);
      for (const seeded of seedRows(previous.schema, table)) {
        const row = rows.get(seeded.id as string);
        expect(row, `${table} ${String(seeded.id)}`).toBeDefined();
        const { note: _dropped, ...kept } = seeded;
        for (const [column, value] of Object.entries(table === 'tasks' ? kept : seeded)) expect(row![column], `${table}.${column}`).toEqual(value);
      }
    }
    const fresh = join(ws.root, 'fresh-v5.db');
    await ready(openDatabase('sqlite', await ws.load(5), fresh));
    expect(schemaDefinition(DB())).toEqual(schemaDefinition(fresh));
    // A later run with no flag is up to date: the permission is recorded in the snapshot chain.
    expect((await ws.generate(4, { check: true })).exitCode).toBe(0);
  });
});

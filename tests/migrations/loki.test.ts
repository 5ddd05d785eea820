import { Database } from '@nozbe/watermelondb';
import type LokiJSAdapter from '@nozbe/watermelondb/adapters/lokijs';
import { logger } from '@nozbe/watermelondb/utils/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../support/watermelon';
import { readTable, seedEveryTable, seedRows } from './support/rows';
import { MigrationWorkspace } from './support/workspace';

// The same upgrade on WatermelonDB's LokiJS adapter (the web): createTable and
// addColumns apply there too, while unsafeExecuteSql steps (index changes
// here) are skipped by WatermelonDB, as README documents. The database is
// carried over with the adapter's own testClone (the in-memory persistence
// adapter, saved on close), then opened by the newer release's code.

logger.silence();
const ws = new MigrationWorkspace('loki');
afterAll(() => ws.dispose());
beforeAll(async () => {
  for (let release = 0; release < 4; release++) await ws.release(release);
});

describe('generated migrations on the LokiJS adapter', () => {
  it('v1 -> v4 keeps every row and value; new columns read their defaults; new tables exist', async () => {
    const v1 = await ws.load(1);
    const before = openDatabase('loki', v1, 'app');
    await seedEveryTable(before, v1.schema);

    const v4 = await ws.load(4);
    const lokiAdapter = (before.adapter as unknown as { underlyingAdapter: LokiJSAdapter }).underlyingAdapter;
    const cloned = await (lokiAdapter as unknown as { testClone: (o: object) => Promise<LokiJSAdapter> }).testClone({
      schema: v4.schema,
      migrations: v4.migrations,
    });
    const db = new Database({ adapter: cloned, modelClasses: v4.modelClasses });

    for (const table of Object.keys(v1.schema.tables)) {
      const rows = await readTable(db, table);
      for (const seeded of seedRows(v1.schema, table)) {
        const row = rows.get(seeded.id as string);
        expect(row, `${table} ${String(seeded.id)}`).toBeDefined();
        for (const [column, value] of Object.entries(seeded)) expect(row![column], `${table}.${column}`).toEqual(value);
      }
    }
    for (const row of (await readTable(db, 'tasks')).values()) expect(row).toMatchObject({ due: null, score: 0, flag: false, label: '' });
    for (const row of (await readTable(db, 'projects')).values()) expect(row).toMatchObject({ code: '', color: null });
    expect(await db.get('comments').query().fetchCount()).toBe(0);
    expect(await db.get('labels').query().fetchCount()).toBe(0);
  });
});

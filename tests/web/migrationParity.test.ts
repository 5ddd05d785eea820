import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database, Model, appSchema, tableSchema } from '@nozbe/watermelondb';
import type LokiJSAdapter from '@nozbe/watermelondb/adapters/lokijs';
import type { ColumnType } from '@nozbe/watermelondb/Schema';
import { logger } from '@nozbe/watermelondb/utils/common';
import { afterAll, describe, expect, it } from 'vitest';
import { WEB_STEPS_OPTION, installWebMigrations, type WebMigrationSteps } from '../../runtime/client/loki/webMigrations';
import { GOLDEN_ROOT } from '../support/golden';
import { openDatabase, type GeneratedWatermelon } from '../support/watermelon';
import { migrationCases } from '../migrations/support/goldenCase';
import { readTable, seedEveryTable } from '../migrations/support/rows';

// Migration parity (README "Web"): every migration golden case's version 1 → 2
// step, run on a filled database on the SQLite adapter (the SQL a device runs)
// and on the LokiJS adapter with the generated webMigrationSteps, leaves the
// same rows and values in every table. Without the web steps the LokiJS side
// would keep renamed columns under their old names, dropped values, nulls in
// required columns and stale values of a changed type.

logger.silence();
installWebMigrations();
const work = mkdtempSync(join(tmpdir(), 'trackhub-parity-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Snapshot {
  tables: { name: string; columns: { name: string; type: ColumnType; isOptional: boolean; isIndexed: boolean }[] }[];
}

/** Version 1 of a case, from its committed snapshot: the tables, with a bare model class each. */
function versionOne(name: string): GeneratedWatermelon {
  const snapshot = JSON.parse(readFileSync(join(GOLDEN_ROOT, name, 'trackhub-sync/migrations/0001.json'), 'utf8')) as Snapshot;
  return {
    schema: appSchema({ version: 1, tables: snapshot.tables.map((t) => tableSchema({ name: t.name, columns: t.columns })) }),
    modelClasses: snapshot.tables.map(
      (t) =>
        class extends Model {
          static override table = t.name;
        },
    ),
  };
}

const ready = async (db: Database) => {
  await db.adapter.getLocal('probe');
  return db;
};

const cases = migrationCases().filter((name) => !existsSync(join(GOLDEN_ROOT, name, 'diagnostics.txt')));

describe.each(cases)('migration parity, golden case %s', (name) => {
  it('SQLite and LokiJS (with webMigrationSteps) hold the same rows after version 1 -> 2', async () => {
    const v1 = versionOne(name);
    const v2 = (await import(join(GOLDEN_ROOT, name, 'expected/watermelon/index.ts'))) as GeneratedWatermelon & {
      webMigrationSteps: WebMigrationSteps;
    };

    const file = join(work, `${name}.db`);
    await seedEveryTable(await ready(openDatabase('sqlite', v1, file)), v1.schema);
    const sqlite = await ready(openDatabase('sqlite', v2, file));

    const lokiV1 = await ready(openDatabase('loki', v1, name));
    await seedEveryTable(lokiV1, v1.schema);
    const adapter = (lokiV1.adapter as unknown as { underlyingAdapter: LokiJSAdapter }).underlyingAdapter;
    // The same in-memory Loki database reopened by version 2 (WatermelonDB's testClone).
    const cloned = await (adapter as unknown as { testClone: (o: object) => Promise<LokiJSAdapter> }).testClone({
      schema: v2.schema,
      migrations: v2.migrations,
      [WEB_STEPS_OPTION]: v2.webMigrationSteps,
    });
    const loki = await ready(new Database({ adapter: cloned, modelClasses: v2.modelClasses }));

    const lokiDocs = (table: string) =>
      (
        cloned as unknown as { _driver: { loki: { getCollection(n: string): { data: Record<string, unknown>[] } | null } } }
      )._driver.loki.getCollection(table)?.data ?? [];
    for (const table of Object.keys(v2.schema.tables)) {
      const onSqlite = await readTable(sqlite, table);
      const onLoki = await readTable(loki, table);
      expect(onLoki, `${name}: table ${table}`).toEqual(onSqlite);
      // What LokiJS stores, not only what WatermelonDB's sanitizer shows: no
      // column left under an old name, no stale value of a dropped or retyped
      // column, no null in a required column.
      for (const doc of lokiDocs(table)) {
        const { $loki: _, ...stored } = doc;
        expect(stored, `${name}: stored ${table} ${String(doc.id)}`).toEqual(onSqlite.get(doc.id as string));
      }
    }
  });
});

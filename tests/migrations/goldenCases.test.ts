import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '@nozbe/watermelondb';
import { logger } from '@nozbe/watermelondb/utils/common';
import Database3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { DiagnosticsError, formatDiagnostic, sortDiagnostics } from '../../generator/diagnostics';
import { compareTree, listTree } from '../../generator/emit/compare';
import { GOLDEN_ROOT } from '../support/golden';
import { openDatabase, type GeneratedWatermelon } from '../support/watermelon';
import { migrationCases, replayCase } from './support/goldenCase';
import { readTable, schemaDefinition, seedEveryTable, seedRows } from './support/rows';

// The migration golden cases, replayed: generating previous/schema.prisma and
// then input/schema.prisma reproduces the committed expected/ tree and
// migration history byte for byte (so the step shown there is what the tool emits for that change), and
// the emitted step migrates a filled database of version 1 on the real SQLite
// adapter to exactly the definitions of a fresh version 2.

logger.silence();
const WORK = new URL('../../.tmp/', import.meta.url).pathname;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function load(dir: string): Promise<GeneratedWatermelon> {
  return import(join(dir, 'watermelon/index.ts'));
}

async function ready(db: Database): Promise<Database> {
  await db.adapter.getLocal('probe');
  return db;
}

describe.each(migrationCases())('migration golden case %s', (name) => {
  it('replays to the committed expected tree and migrates a filled database', async () => {
    const work = join(WORK, `golden-${name}-${process.pid}`);
    dirs.push(work);
    const replay = await replayCase(name, work);
    const diagnosticsFile = join(GOLDEN_ROOT, name, 'diagnostics.txt');
    if (existsSync(diagnosticsFile)) {
      expect(replay.error).toBeInstanceOf(DiagnosticsError);
      const shown = `${sortDiagnostics((replay.error as DiagnosticsError).diagnostics)
        .map(formatDiagnostic)
        .join('\n')}\n`;
      expect(shown).toBe(readFileSync(diagnosticsFile, 'utf8'));
      return;
    }
    expect(replay.error).toBeNull();
    const replayed = listTree(replay.out).map((path) => ({ path, contents: readFileSync(join(replay.out, path), 'utf8') }));
    const cmp = compareTree(replayed, join(GOLDEN_ROOT, name, 'expected'), work);
    expect(cmp.diff, 'replayed output differs from expected/').toBe('');
    // The history the two runs appended to is the case's committed history, byte for byte.
    const committed = join(GOLDEN_ROOT, name, 'trackhub-sync/migrations');
    expect(listTree(replay.history)).toEqual(listTree(committed));
    for (const path of listTree(committed))
      expect(readFileSync(join(replay.history, path), 'utf8'), path).toBe(readFileSync(join(committed, path), 'utf8'));

    const v1 = await load(join(work, 'code-v1'));
    const v2 = await load(join(work, 'code-v2'));
    const file = join(work, 'app.db');
    await seedEveryTable(await ready(openDatabase('sqlite', v1, file)), v1.schema);
    const db = await ready(openDatabase('sqlite', v2, file));
    const fresh = join(work, 'fresh.db');
    await ready(openDatabase('sqlite', v2, fresh));
    expect(schemaDefinition(file)).toEqual(schemaDefinition(fresh));

    // Every row of every table that still exists survives; values of columns kept with the same type are unchanged.
    for (const oldTable of Object.keys(v1.schema.tables)) {
      const table = replay.renames[oldTable] ?? oldTable;
      if (!v2.schema.tables[table]) continue;
      const rows = await readTable(db, table);
      for (const seeded of seedRows(v1.schema, oldTable)) {
        const row = rows.get(seeded.id as string);
        expect(row, `${table} ${String(seeded.id)}`).toBeDefined();
        for (const column of v1.schema.tables[oldTable]!.columnArray) {
          const renamed = replay.renames[`${oldTable}.${column.name}`] ?? replay.renames[`${table}.${column.name}`] ?? column.name;
          const now = v2.schema.tables[table]!.columns[renamed];
          if (!now) continue;
          const empty = now.isOptional ? null : { string: '', number: 0, boolean: false }[now.type];
          // A type change resets the stored value (the entity is re-pulled). Read the
          // column raw: WatermelonDB's sanitizer would hide a stale value of the old type.
          if (now.type !== column.type)
            expect(rawColumn(file, table, renamed), `${table}.${renamed} reset`).toEqual(
              rows.size ? [...rows.keys()].map(() => (empty === false ? 0 : empty)) : [],
            );
          // A column that became required reads WatermelonDB's empty value where it held null.
          else expect(row![renamed], `${table}.${renamed}`).toEqual(seeded[column.name] ?? empty);
        }
      }
    }
  });
});

/** A column's stored values, straight from SQLite. */
function rawColumn(file: string, table: string, column: string): unknown[] {
  const sqlite = new Database3(file, { readonly: true });
  try {
    return (sqlite.prepare(`select "${column}" as v from "${table}"`).all() as { v: unknown }[]).map((r) => r.v);
  } finally {
    sqlite.close();
  }
}

import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Database } from '@nozbe/watermelondb';
import * as sqliteModule from '@nozbe/watermelondb/adapters/sqlite';
import { logger } from '@nozbe/watermelondb/utils/common';
import { tsImport } from 'tsx/esm/api';
import { interopDefault } from '../runtime/client/interop';
import type { GeneratedWatermelon } from '../tests/support/watermelon';
import { seedRows } from '../tests/migrations/support/rows';
import { MigrationWorkspace } from '../tests/migrations/support/workspace';
import { stats, type BenchModule } from './support';

// What a generated migration costs a phone at app start, on WatermelonDB's
// SQLite adapter (better-sqlite3, a database file) holding BENCH_RECORDS rows
// in each entity table (tests/migrations/support/schemas.ts):
// - v1 -> v4 (createTable, addColumns with defaults, indexes) against opening
//   an up-to-date database of v4 holding the same rows (no migration);
// - v4 -> v5, the destructive drop of tasks.note (a table rebuild that works
//   on every device SQLite) against SQLite 3.35's ALTER TABLE DROP COLUMN on
//   the same file, run raw.

const COUNT = Number(process.env.BENCH_RECORDS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
logger.silence();

const SQLiteAdapter = interopDefault(sqliteModule) as unknown as typeof sqliteModule.default;

function openDatabase(code: GeneratedWatermelon, dbName: string): Database {
  const adapter = new SQLiteAdapter({ schema: code.schema, migrations: code.migrations, dbName, jsi: false });
  return new Database({ adapter, modelClasses: code.modelClasses });
}

async function ready(db: Database): Promise<void> {
  await db.get('tasks').query().fetchCount();
}

/** A database at `version` with COUNT rows in every entity table, written with raw inserts. */
async function filled(ws: MigrationWorkspace, version: number, file: string): Promise<void> {
  const code = await ws.load(version);
  await ready(openDatabase(code, file));
  const sqlite = new BetterSqlite3(file);
  sqlite.transaction(() => {
    for (const table of ['projects', 'tasks', 'labels', 'comments'].filter((t) => code.schema.tables[t])) {
      const [sample] = seedRows(code.schema, table);
      const columns = ['id', '_status', '_changed', ...Object.keys(sample!).filter((c) => c !== 'id')];
      const insert = sqlite.prepare(
        `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map(() => '?').join(', ')})`,
      );
      for (let i = 0; i < COUNT; i++) {
        const row = seedRows(code.schema, table)[i % 3]!;
        const values = columns.slice(3).map((c) => (typeof row[c] === 'boolean' ? Number(row[c]) : row[c]));
        insert.run(`${table}-${i}`, 'synced', '', ...values);
      }
    }
  })();
  sqlite.close();
}

async function timeOpen(ws: MigrationWorkspace, template: string, version: number): Promise<number[]> {
  const code = await ws.load(version);
  const out: number[] = [];
  for (let run = 0; run <= RUNS; run++) {
    const file = `${template}.run${run}.db`;
    copyFileSync(template, file);
    const start = performance.now();
    await ready(openDatabase(code, file));
    if (run > 0) out.push(performance.now() - start);
    // A migration that fell back to a reset would be fast and empty: check it kept the rows.
    const sqlite = new BetterSqlite3(file, { readonly: true });
    const { n, v } = sqlite.prepare('select count(*) as n, (select user_version from pragma_user_version) as v from tasks').get() as {
      n: number;
      v: number;
    };
    sqlite.close();
    if (n !== COUNT || v !== version) throw new Error(`migration lost rows: ${n} tasks at version ${v}`);
  }
  return out;
}

function timeRaw(template: string, sql: string): number[] {
  const out: number[] = [];
  for (let run = 0; run <= RUNS; run++) {
    const file = `${template}.raw${run}.db`;
    copyFileSync(template, file);
    const sqlite = new BetterSqlite3(file);
    const start = performance.now();
    sqlite.exec(sql);
    if (run > 0) out.push(performance.now() - start);
    sqlite.close();
  }
  return out;
}

const bench: BenchModule = {
  title: `Local migrations at app start (${COUNT.toLocaleString('en')} rows per entity table, SQLite file)`,
  async run() {
    const ws = new MigrationWorkspace('bench');
    // Generated models use legacy decorators: compile them with the workspace's tsconfig (which extends the repository's).
    ws.importer = (path) => tsImport(path, { parentURL: import.meta.url, tsconfig: join(ws.root, 'tsconfig.json') }) as Promise<never>;
    try {
      for (let release = 0; release < 4; release++) await ws.release(release);
      await ws.release(4, { allowDestructive: true });
      await ws.generate(4, { allowDestructive: true });
      const v1 = join(ws.root, 'v1.db');
      const v4 = join(ws.root, 'v4.db');
      await filled(ws, 1, v1);
      await filled(ws, 4, v4);
      const upgrade = stats(await timeOpen(ws, v1, 4));
      const upToDate = stats(await timeOpen(ws, v4, 4));
      const drop = stats(await timeOpen(ws, v4, 5));
      const rawDrop = stats(timeRaw(v4, 'alter table "tasks" drop column "note";'));
      return [
        {
          case: 'open v1 db with v4 code (3 steps: tables, columns, indexes)',
          ours: upgrade.text,
          baseline: upToDate.text,
          note: 'baseline: open an up-to-date v4 db',
        },
        {
          case: 'open v4 db with v5 code (drop tasks.note: table rebuild)',
          ours: drop.text,
          baseline: rawDrop.text,
          note: 'baseline: raw ALTER TABLE DROP COLUMN (SQLite >= 3.35)',
        },
      ];
    } finally {
      ws.dispose();
      rmSync(ws.root, { recursive: true, force: true });
    }
  },
};
export default bench;

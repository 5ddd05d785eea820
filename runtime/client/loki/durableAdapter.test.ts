import { type Database, Model, appSchema, tableSchema } from '@nozbe/watermelondb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WebDatabaseError } from './errors';
import { databaseClosed, databaseReady, lokiDatabaseFactory } from './factory';
import type { LokiInstance } from './webMigrations';

// A failed save rolls the write back (README "Web"): on Node, WatermelonDB's
// LokiJS adapter keeps its saved copy in LokiJS's memory adapter, whose save
// is made to fail here as IndexedDB's does in a browser (tests/web covers
// IndexedDB itself in Chromium).

class Note extends Model {
  static override table = 'notes';
}
const schema = appSchema({ version: 1, tables: [tableSchema({ name: 'notes', columns: [{ name: 'body', type: 'string' }] })] });

interface Persistence {
  saveDatabase(name: string, data: string, callback: (error?: unknown) => void): void;
  loadDatabase(name: string, callback: (data: unknown) => void): void;
}

let database: Database;
let errors: WebDatabaseError[];
let logged: string[];
let dbCount = 0;

const persistence = () => {
  const adapter = (database.adapter as unknown as { underlyingAdapter: { loki: LokiInstance & { persistenceAdapter: Persistence } } })
    .underlyingAdapter;
  return adapter.loki.persistenceAdapter;
};
/** The next save fails as a full disk does. */
const failNextSave = () => {
  const target = persistence();
  const save = target.saveDatabase;
  target.saveDatabase = (_name, _data, callback) => {
    target.saveDatabase = save;
    callback(new Error('disk full'));
  };
};
/** The record's raw row, as WatermelonDB's `_raw` (typed without the table's columns). */
const raw = (note: Note) => note._raw as unknown as Record<string, unknown>;
const bodies = async () => (await database.get<Note>('notes').query().fetch()).map((n) => raw(n).body as string).sort();
const create = (body: string) =>
  database.write(() =>
    database.get<Note>('notes').create((n) => {
      raw(n).body = body;
    }),
  );

beforeEach(async () => {
  errors = [];
  logged = [];
  for (const level of ['error', 'warn', 'log'] as const) vi.spyOn(console, level).mockImplementation((...args) => void logged.push(args.join(' ')));
  database = lokiDatabaseFactory({ schema, modelClasses: [Note], onError: (e) => errors.push(e) })(`durable_${++dbCount}`);
  await databaseReady(database);
  await create('kept');
});
afterEach(() => vi.restoreAllMocks());

describe('DurableLokiAdapter after a failed save', () => {
  it('rejects the write, reports it, and rolls it back: memory and record caches hold what was saved', async () => {
    failNextSave();
    await expect(create('lost')).rejects.toThrow(/web database durable_\d+: save: disk full/);
    expect(errors.map((e) => e.kind)).toEqual(['save']);
    expect(await bodies()).toEqual(['kept']);

    // An update whose save fails: the record read afterwards is the saved one, not the mutated object.
    const [note] = await database.get<Note>('notes').query().fetch();
    failNextSave();
    await expect(
      database.write(() =>
        note!.update((n) => {
          raw(n).body = 'changed';
        }),
      ),
    ).rejects.toThrow(/disk full/);
    expect(await bodies()).toEqual(['kept']);

    await create('after');
    expect(await bodies()).toEqual(['after', 'kept']);
    // Without the rollback the driver sent ids WatermelonDB's cache never had (and broke Loki for the session).
    expect(logged.filter((m) => /not cached|cached, but/.test(m))).toEqual([]);
    expect(databaseClosed(database)).toBe(false);
  });

  it('closes the database in this tab when even the reload fails', async () => {
    failNextSave();
    persistence().loadDatabase = (_name, callback) => callback(new Error('disk gone'));
    await expect(create('lost')).rejects.toThrow(/disk full/);
    expect(errors.map((e) => e.kind)).toEqual(['save', 'reload']);
    expect(databaseClosed(database)).toBe(true);
    await expect(bodies()).rejects.toThrow(/closed in this tab/);
  });
});

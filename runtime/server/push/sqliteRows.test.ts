import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { EntityRuntime } from '../core';
import { describeEntity } from '../describeEntity';
import { Params } from '../sql';
import type { SyncFieldSpec, SyncResultItem } from '../types';
import { canonicalIso } from './jsonRows';
import { atLeast } from './sqliteVersion';
import { insertStatement, recordStatement } from './write';

const fields: SyncFieldSpec[] = [
  { name: 'id', type: 'String', isRequired: true, access: 'server' },
  { name: 'tenantId', type: 'String', access: 'server' },
  { name: 'title', type: 'String', isRequired: true },
  { name: 'count', type: 'Int', isRequired: true, default: { kind: 'value', value: 0 } },
  { name: 'ratio', type: 'Float' },
  { name: 'done', type: 'Boolean' },
  { name: 'big', type: 'BigInt' },
  { name: 'due', type: 'DateTime' },
  { name: 'createdAt', type: 'DateTime', default: { kind: 'function', name: 'now' } },
  { name: 'meta', type: 'Json' },
  { name: 'blob', type: 'Bytes' },
];
const descriptor = describeEntity({ name: 'Item', delegate: 'item', table: 'Item', scope: 'tenantId', fields } as never);
const entity = { descriptor, fields: new Map(descriptor.fields.map((f) => [f.name, f])) } as unknown as EntityRuntime;

function open(): Database.Database {
  const db = new Database(':memory:');
  db.exec(`CREATE TABLE "Item" ("id" TEXT PRIMARY KEY, "tenantId" TEXT, "title" TEXT NOT NULL, "count" INTEGER NOT NULL DEFAULT 0,
    "ratio" REAL, "done" BOOLEAN, "big" BIGINT, "due" DATETIME, "createdAt" DATETIME, "meta" JSONB, "blob" BLOB)`);
  db.exec(`CREATE TABLE "SyncOperation" ("tenantId" TEXT NOT NULL, "entity" TEXT NOT NULL, "opId" TEXT NOT NULL, "result" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL, PRIMARY KEY ("tenantId", "entity", "opId"))`);
  return db;
}

const rows = [
  { id: 'a', tenantId: 't', title: 'plain', count: 3, ratio: 0.5, done: true, big: '9007199254740993', due: '2026-01-02T03:04:05.678Z' },
  {
    id: 'b',
    tenantId: 't',
    title: 'quote " backslash \\ emoji 😀 é',
    ratio: 1e300,
    done: false,
    due: '2026-06-30T23:59:59.999+02:00',
    meta: { nested: [1, 'x', null, { k: true }] },
    blob: Buffer.from([0, 1, 254, 255]).toString('base64'),
  },
  { id: 'c', tenantId: 't', title: '', meta: 'a JSON string', createdAt: '2020-02-29T00:00:00.000Z' },
];

describe('SQLite JSON row parameters', () => {
  it('json_each (text) and jsonb_each (SQLite 3.45+) write the same rows', () => {
    const now = new Date('2026-12-02T04:00:00.000Z');
    const written = [false, true].map((jsonb) => {
      const db = open();
      const p = new Params('sqlite', jsonb);
      const sql = insertStatement('sqlite', entity, rows, now)!(p);
      expect(sql).toContain(jsonb ? 'jsonb_each(?)' : ' json_each(?)');
      db.prepare(sql).run(...(p.values as unknown[]));
      const result: SyncResultItem = {
        clientId: 'c1',
        id: 'a',
        success: true,
        errorCode: null,
        errorMessage: null,
        version: 1,
        updatedAt: '2026-12-02T04:00:00.000Z',
        conflict: null,
      };
      const r = new Params('sqlite', jsonb);
      db.prepare(recordStatement('sqlite', 't', 'Item', [{ opId: 'op "1"', result }], now)!(r)).run(
        ...r.values.map((v) => (v instanceof Date ? v.toISOString() : v)),
      );
      return {
        items: db.prepare('SELECT *, typeof("big") AS bigType, hex("blob") AS blobHex FROM "Item" ORDER BY "id"').all(),
        ops: db.prepare('SELECT * FROM "SyncOperation"').all(),
      };
    });
    expect(written[1]).toEqual(written[0]);
    const [a, b, c] = written[0]!.items as Record<string, unknown>[];
    expect(a).toMatchObject({ bigType: 'integer', due: '2026-01-02T03:04:05.678+00:00', count: 3, done: 1 });
    expect(b).toMatchObject({ title: rows[1]!.title, due: '2026-06-30T21:59:59.999+00:00', blobHex: '0001FEFF', count: 0 });
    expect(JSON.parse(String(b!.meta))).toEqual(rows[1]!.meta);
    expect(c).toMatchObject({ createdAt: '2020-02-29T00:00:00.000+00:00', meta: '"a JSON string"' });
    expect(a!.createdAt).toBe('2026-12-02T04:00:00.000+00:00');
    expect(JSON.parse(String((written[0]!.ops[0] as { result: string }).result))).toEqual({
      clientId: 'c1',
      id: 'a',
      success: true,
      version: 1,
      updatedAt: '2026-12-02T04:00:00.000Z',
    });
  });

  it('tells SQLite versions with jsonb_each from older ones', () => {
    expect(atLeast('3.45.0', [3, 45])).toBe(true);
    expect(atLeast('3.53.2', [3, 45])).toBe(true);
    expect(atLeast('4.0.0', [3, 45])).toBe(true);
    expect(atLeast('3.44.2', [3, 45])).toBe(false);
    expect(atLeast('', [3, 45])).toBe(false);
  });

  it('keeps a DateTime cell as sent only when it is exactly toISOString() form of a real instant', () => {
    expect(canonicalIso('2024-02-29T23:59:59.999Z')).toBe(true);
    expect(canonicalIso('2023-02-29T00:00:00.000Z')).toBe(false);
    expect(canonicalIso('2024-01-01T24:00:00.000Z')).toBe(false);
    expect(canonicalIso('2024-01-01T00:00:00Z')).toBe(false);
    expect(canonicalIso('2024-01-01T00:00:00.000+00:00')).toBe(false);
  });
});

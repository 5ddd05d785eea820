import { describe, expect, it } from 'vitest';
import { envelopeSchema, plainEnvelope, stripNulls } from './envelope';

const ok = { opId: 'op-1', op: 'create', clientId: 'c-1', updatedAt: '2026-12-02T04:00:00.000Z', data: { name: 'x' } };
const values: unknown[] = [
  undefined,
  null,
  '',
  'x',
  'x'.repeat(200),
  'x'.repeat(201),
  0,
  -1,
  1.5,
  2 ** 53,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  [],
  {},
  { a: 1 },
  Object.create(null),
  JSON.parse('{"__proto__": {"x": 1}}'),
  new Date(0),
  '2026-12-02T04:00:00Z',
  '2026-12-02T04:00:00.123456+05:30',
  '2026-12-02T04:00:00+24:00',
  '2026-02-30T04:00:00Z',
  '2026-12-02 04:00:00Z',
  'create',
  'update',
  'delete',
  'upsert',
];
const normal = (env: Record<string, unknown>) =>
  JSON.parse(JSON.stringify(Object.fromEntries(keys.slice(0, 8).map((k) => [k, env[k] ?? null])))) as Record<string, unknown>;
const keys = ['opId', 'op', 'clientId', 'id', 'baseVersion', 'updatedAt', 'data', 'base', 'extra'];

describe('the plain envelope check', () => {
  it('accepts an envelope only when zod accepts it, with the same values', () => {
    let accepted = 0;
    for (const key of keys) {
      for (const value of values) {
        const raw = { ...ok, [key]: value } as Record<string, unknown>;
        const plain = plainEnvelope(raw);
        const zod = envelopeSchema.safeParse(stripNulls(raw));
        if (plain) {
          accepted++;
          expect(zod.success, `${key} = ${String(value)}`).toBe(true);
          // parseItem reads every field as `value ?? null`.
          expect(normal(plain)).toEqual(normal(zod.data!));
        }
      }
    }
    // The ordinary envelopes do take the plain path.
    expect(accepted).toBeGreaterThan(40);
    expect(plainEnvelope(ok)).not.toBeNull();
    expect(plainEnvelope({ ...ok, op: 'update', id: 'r', baseVersion: 3, base: { name: 'y' }, clientId: null })).not.toBeNull();
  });

  it('leaves inherited keys and odd objects to zod', () => {
    expect(plainEnvelope(Object.assign(Object.create({ opId: 'x' }), { op: 'create' }))).toBeNull();
    expect(plainEnvelope({ ...ok, data: Object.create(null) })).toBeNull();
    expect(plainEnvelope({ ...ok, data: JSON.parse('{"__proto__": 1}') })).toBeNull();
    expect(plainEnvelope({ ...ok, extra: 1 })).toBeNull();
    expect(plainEnvelope({ ...ok, extra: null })).not.toBeNull();
  });
});

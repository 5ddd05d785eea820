import type { SyncResultItem } from 'trackhub-sync/runtime/server';
import { afterAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../support/postgres';
import { MAX_BATCH, startHarness, type Harness } from './harness';

/**
 * Push fuzzing (issue #13 "Done means"): seeded random items — wrong types,
 * huge and deep values, odd unicode, random field names, broken envelopes —
 * pushed in batches together with good items, on SQLite and PostgreSQL.
 * The server must never answer INTERNAL (or a request error) for a data
 * problem, never lose or duplicate a good item, and stay up.
 *
 * Bounded for `npm test`; `FUZZ_SEEDS=1-200 npx vitest run tests/server/fuzz.test.ts`
 * runs more seeds.
 */

const SEEDS = parseSeeds(process.env.FUZZ_SEEDS ?? '1-3');
const BATCHES_PER_SEED = 6;

function parseSeeds(text: string): number[] {
  const [from, to] = text.split('-').map(Number) as [number, number?];
  return Array.from({ length: (to ?? from) - from + 1 }, (_, i) => from + i);
}

/** mulberry32: a small seeded PRNG, so a failing seed reproduces. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;
  return { next, int, pick };
}
type Rng = ReturnType<typeof prng>;

const ODD_STRINGS = [
  '',
  ' ',
  'a\u0000b',
  'lone\ud800',
  '\udc00tail',
  '\ud83d',
  'ok 😀',
  '\u202eRTL',
  'e\u0301',
  '\uffff\ufffe',
  '\\"\'',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template placeholder is one of the hostile inputs.
  '${x}',
  'null',
  '1.5',
  '1e5',
  '-0',
  '9'.repeat(30),
];
const FIELD_NAMES = [
  'name',
  'title',
  'settings',
  'viewCount',
  'bigCount',
  'estimate',
  'dueAt',
  'createdAt',
  'attachment',
  'ratio',
  'priority',
  'done',
  'labels',
  'history',
  'score',
  'owner',
  'spaceId',
  'memberCount',
  'secret',
  'syncSeq',
  'version',
  'tenantId',
  'clientId',
  '__proto__',
  'constructor',
  'x\u0000',
  '\ud800',
  '',
  'a'.repeat(300),
];

function deepValue(rng: Rng, depth: number): unknown {
  let v: unknown = rng.pick([1, 'leaf', null, true]);
  for (let i = 0; i < depth; i++) v = rng.next() < 0.5 ? [v] : { [rng.pick(['k', 'a', '\ud800'])]: v };
  return v;
}

function randomValue(rng: Rng, budget = 3): unknown {
  switch (rng.int(12)) {
    case 0:
      return rng.pick(ODD_STRINGS);
    case 1:
      return rng.pick([0, -1, 1.5, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 1, 1e308, -1e-308, Number.MAX_SAFE_INTEGER]);
    case 2:
      return rng.pick([true, false, null]);
    case 3:
      return deepValue(rng, rng.pick([2, 10, 63, 64, 65, 100, 1000, 4000]));
    case 4:
      return 'x'.repeat(rng.pick([1_000, 100_000]));
    case 5:
      return rng.pick([
        '2025-01-01T00:00:00.000Z',
        '0000-01-01T00:00:00.000Z',
        '9999-12-31T23:59:59.999Z',
        '10000-01-01T00:00:00Z',
        '2025-13-01T00:00:00Z',
        '2025-02-29T00:00:00Z',
        'yesterday',
      ]);
    case 6:
      return rng.pick(['9223372036854775807', '9223372036854775808', '1.5', 'abc', '1e5', '-', '00012']);
    case 7:
      return rng.pick(['aGk=', 'not base64!', '', '====']);
    case 8:
      return budget > 0 ? Array.from({ length: rng.int(4) }, () => randomValue(rng, budget - 1)) : [];
    case 9:
      return budget > 0 ? Object.fromEntries(Array.from({ length: rng.int(4) }, () => [rng.pick(FIELD_NAMES), randomValue(rng, budget - 1)])) : {};
    case 10:
      return rng.pick(['LOW', 'HIGH', 'lowercase', 'ACTIVE']);
    default:
      return String.fromCharCode(...Array.from({ length: 1 + rng.int(8) }, () => rng.int(0x10000)));
  }
}

/** A bad or random item: broken envelope, random fields, random values; updates and deletes often hit a real record (`victims`). */
function randomItem(rng: Rng, seed: number, n: number, victims: readonly string[]): unknown {
  const data = Object.fromEntries(Array.from({ length: rng.int(5) }, () => [rng.pick(FIELD_NAMES), randomValue(rng)]));
  const item: Record<string, unknown> = {
    opId: `fz-${seed}-${n}`,
    op: rng.pick(['create', 'create', 'update', 'delete', 'upsert']),
    clientId: `fzc-${seed}-${n}`,
    data,
  };
  switch (rng.int(8)) {
    case 0:
      item.opId = randomValue(rng);
      break;
    case 1:
      delete item.op;
      break;
    case 2:
      item.id = randomValue(rng);
      item.baseVersion = rng.pick([1, -1, 1.5, '1', null]);
      item.updatedAt = randomValue(rng);
      break;
    case 6:
    case 7: {
      // A well-formed update or delete of an existing record, with random data and base values (merge rules run on them).
      item.op = rng.pick(['update', 'update', 'delete']);
      item.id = rng.pick(victims);
      item.baseVersion = rng.int(4);
      item.updatedAt = new Date(Date.now() + rng.int(2) * 60_000 - 30_000).toISOString();
      const fields = ['score', 'highWater', 'lowWater', 'labels', 'history', 'owner', 'name', 'title', 'viewCount', 'settings', 'done'];
      item.data = Object.fromEntries(Array.from({ length: 1 + rng.int(3) }, () => [rng.pick(fields), randomValue(rng)]));
      item.base = Object.fromEntries(Object.keys(item.data as object).map((k) => [k, randomValue(rng)]));
      break;
    }
    case 3:
      item.base = randomValue(rng);
      break;
    case 4:
      item.extra = randomValue(rng);
      break;
    case 5: {
      // Not an object at all (the SDL's `[JSON!]!` already refuses a null item as a whole request).
      const value = randomValue(rng);
      return value === null ? 'null' : value;
    }
  }
  return item;
}

const GOOD: Record<string, (tag: string) => Record<string, unknown>> = {
  Space: (tag) => ({ name: tag, settings: { tag, list: [1, 2, 3] }, viewCount: 1 }),
  Task: (tag) => ({ title: tag, bigCount: '42', estimate: '1.25', dueAt: '2030-01-01T00:00:00.000Z', priority: 'LOW' }),
  Group: (tag) => ({ name: tag, score: 1, labels: ['a'] }),
};
const TAG_FIELD: Record<string, string> = { Space: 'name', Task: 'title', Group: 'name' };

/** Results by code over a run (printed: shows which paths the random items reached). */
const codes: Record<string, number> = {};

async function fuzz(h: Harness, seed: number) {
  const rng = prng(seed);
  const t = `fuzz-${seed}-${h.dialect}`;
  const good = new Map<string, { entity: string; tag: string; id?: string }>();
  // Records the random updates and deletes may hit (never checked for content).
  const victims: Record<string, string[]> = {};
  for (const entity of Object.keys(GOOD)) {
    const created = await h.push(
      entity,
      [0, 1, 2].map((i) => ({
        opId: `v-${seed}-${entity}-${i}`,
        op: 'create',
        clientId: `vc-${seed}-${entity}-${i}`,
        data: GOOD[entity]!(`victim-${seed}-${i}`),
      })),
      t,
    );
    victims[entity] = created.map((r) => r.id!);
  }
  let items = 0;
  for (let b = 0; b < BATCHES_PER_SEED; b++) {
    const entity = rng.pick(Object.keys(GOOD));
    const size = 1 + rng.int(MAX_BATCH);
    const batch: unknown[] = [];
    const goodAt = new Map<number, string>();
    for (let i = 0; i < size; i++) {
      if (rng.next() < 0.3) {
        const tag = `good-${seed}-${b}-${i}`;
        goodAt.set(i, tag);
        good.set(tag, { entity, tag });
        batch.push({ opId: `g-${tag}`, op: 'create', clientId: `gc-${tag}`, data: GOOD[entity]!(tag) });
      } else batch.push(randomItem(rng, seed, b * 1000 + i, victims[entity]!));
    }
    items += batch.length;
    const response = await h.gql<{ syncPush: SyncResultItem[] }>(
      `mutation($entity: String!, $items: [JSON!]!) { syncPush(entity: $entity, items: $items) { clientId id success errorCode errorMessage } }`,
      { entity, items: batch },
      t,
    );
    expect(response.errors, `seed ${seed} batch ${b}: ${JSON.stringify(response.errors)?.slice(0, 500)}`).toBeUndefined();
    const results = response.data!.syncPush;
    expect(results).toHaveLength(batch.length);
    results.forEach((r, i) => {
      const outcome = r.errorCode ?? 'success';
      codes[outcome] = (codes[outcome] ?? 0) + 1;
      expect(r.errorCode, `seed ${seed} batch ${b} item ${i}: ${r.errorMessage}`).not.toBe('INTERNAL');
      const tag = goodAt.get(i);
      if (tag) {
        expect(r.success, `good item ${tag}: ${r.errorMessage}`).toBe(true);
        good.get(tag)!.id = r.id!;
      }
    });
  }
  // Every good item exactly once, as sent; the server still answers.
  for (const entity of Object.keys(GOOD)) {
    const { items: onServer } = await h.pullAll(entity, t);
    const mine = [...good.values()].filter((g) => g.entity === entity);
    for (const g of mine) {
      const rows = onServer.filter((row) => row[TAG_FIELD[entity]!] === g.tag);
      expect(rows, `${entity} ${g.tag}`).toHaveLength(1);
      expect(rows[0]!.id).toBe(g.id);
      expect(rows[0]).toMatchObject(GOOD[entity]!(g.tag));
    }
  }
  return { items, goods: good.size };
}

async function runSeeds(h: Harness) {
  const totals = { seeds: 0, batches: 0, items: 0, goods: 0 };
  for (const seed of SEEDS) {
    const { items, goods } = await fuzz(h, seed);
    totals.seeds++;
    totals.batches += BATCHES_PER_SEED;
    totals.items += items;
    totals.goods += goods;
  }
  console.log(
    `push fuzz on ${h.dialect}: ${totals.seeds} seeds (${SEEDS[0]}-${SEEDS.at(-1)}), ${totals.batches} batches, ${totals.items} items (${totals.goods} good), no INTERNAL, no good item lost; results ${JSON.stringify(codes)}`,
  );
  for (const key of Object.keys(codes)) delete codes[key];
}

/** Generous per-seed time: the machine is shared (2 cores). */
const TIMEOUT = 60_000 + SEEDS.length * 20_000;

describe('push fuzz: random bad items never fail a batch, never cost a good item', () => {
  let pg: PostgresServer | undefined;
  afterAll(() => pg?.stop());

  it(
    'on SQLite',
    async () => {
      const h = await startHarness({ kind: 'sqlite' });
      try {
        await runSeeds(h);
      } finally {
        await h.close();
      }
    },
    TIMEOUT,
  );

  it(
    'on PostgreSQL',
    async () => {
      pg = await startPostgres();
      const h = await startHarness({ kind: 'postgresql', url: await pg.createDatabase(`fuzz_${process.pid}`) });
      try {
        await runSeeds(h);
      } finally {
        await h.close();
      }
    },
    TIMEOUT,
  );
});

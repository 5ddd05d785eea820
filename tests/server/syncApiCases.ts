import { randomUUID } from 'node:crypto';
import { markServerWrites, purgeSyncOperations, purgeTombstones } from 'trackhub-sync/runtime/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabelEntity, SpaceEntity } from '../../examples/trackhub-core/generated/server/entities';
import { isoIn, item, MAX_BATCH, PAGE_SIZE_MAX, startHarness, tenant, type Harness } from './harness';

type Target = Parameters<typeof startHarness>[0];

/**
 * The behaviours of docs/PROTOCOL.md, run through the generated resolvers served
 * by graphql-yoga over HTTP, on the database `target` gives.
 */
export function defineSyncApiTests(name: string, target: () => Promise<Target>): void {
  describe(`sync API over HTTP on ${name}`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(await target());
    });
    afterAll(async () => {
      await h?.close();
    });

    const createSpace = async (t: string, data: Record<string, unknown> = {}) => {
      const [result] = await h.push('Space', [item('create', { data: { name: 'space', ...data } })], t);
      expect(result!.success, JSON.stringify(result)).toBe(true);
      return result!;
    };

    it('creates through the typed mutation and pulls every scalar back in wire form', async () => {
      const t = tenant('typed');
      const push = await h.gql<{ syncPushTask: { success: boolean; id: string; version: number }[] }>(
        `mutation($items: [TaskPushItem!]!) { syncPushTask(items: $items) { success id version errorMessage } }`,
        {
          items: [
            item('create', {
              data: {
                title: 'T',
                done: true,
                priority: 'HIGH',
                dueAt: '2025-01-02T03:04:05.678Z',
                estimate: '12.25',
                bigCount: '9007199254740993',
                attachment: 'aGk=',
                ratio: 0.5,
              },
            }),
          ],
        },
        t,
      );
      expect(push.errors).toBeUndefined();
      expect(push.data!.syncPushTask[0]).toMatchObject({ success: true, version: 1 });
      const pull = await h.gql<{ syncPullTask: { items: Record<string, unknown>[]; hasMore: boolean; versionHash: string } }>(
        `{ syncPullTask { items { id title done priority dueAt estimate bigCount attachment ratio version deletedAt tenantId } hasMore versionHash } }`,
        {},
        t,
      );
      expect(pull.data!.syncPullTask.items).toEqual([
        {
          id: push.data!.syncPushTask[0]!.id,
          title: 'T',
          done: true,
          priority: 'HIGH',
          dueAt: '2025-01-02T03:04:05.678Z',
          estimate: '12.25',
          bigCount: '9007199254740993',
          attachment: 'aGk=',
          ratio: 0.5,
          version: 1,
          deletedAt: null,
          tenantId: t,
        },
      ]);
      expect(pull.data!.syncPullTask.versionHash).toMatch(/^[0-9a-f]{16}$/);
    });

    it('pages with hasMore through records sharing one updatedAt, each exactly once', async () => {
      const t = tenant('pages');
      // One batch: all 25 rows get the same updatedAt, the case a timestamp cursor loops or skips on.
      const results = await h.push(
        'Space',
        Array.from({ length: 25 }, (_, i) => item('create', { data: { name: `s${i}` } })),
        t,
      );
      expect(new Set(results.map((r) => r.updatedAt)).size).toBe(1);
      const first = await h.pull('Space', { limit: 10 }, t);
      expect(first.items).toHaveLength(10);
      expect(first.hasMore).toBe(true);
      const all = await h.pullAll('Space', t, null, 10);
      expect(all.pages).toBe(3);
      expect(all.items.map((i) => i.id).sort()).toEqual(results.map((r) => r.id).sort());
      const after = await h.pull('Space', { cursor: all.cursor }, t);
      expect(after).toMatchObject({ items: [], deletedIds: [], hasMore: false });
      // No limit: the entity's page size (1000) applies, capped by the hard maximum; a larger limit is capped too.
      for (const limit of [undefined, 1000]) {
        const capped = await h.pull('Space', limit ? { limit } : {}, t);
        expect(capped.items).toHaveLength(PAGE_SIZE_MAX);
        expect(capped.hasMore).toBe(true);
      }
    });

    it('sends tombstones as deletedIds after the cursor; a first pull skips them; deletes are idempotent', async () => {
      const t = tenant('tomb');
      const a = await createSpace(t);
      const b = await createSpace(t);
      const { cursor } = await h.pullAll('Space', t);
      const del = item('delete', { id: a.id, baseVersion: 1, updatedAt: isoIn(0) });
      const [deleted] = await h.push('Space', [del], t);
      expect(deleted).toMatchObject({ success: true, version: 2 });
      const page = await h.pull('Space', { cursor }, t);
      expect(page.deletedIds).toEqual([a.id]);
      expect(page.items).toEqual([]);
      const fresh = await h.pullAll('Space', t);
      expect(fresh.items.map((i) => i.id)).toEqual([b.id]);
      expect(fresh.deletedIds).toEqual([]);
      const [again] = await h.push('Space', [item('delete', { id: a.id, baseVersion: 1, updatedAt: isoIn(0) })], t);
      expect(again).toMatchObject({ success: true, version: 2 });
      const [update] = await h.push('Space', [item('update', { id: a.id, baseVersion: 2, updatedAt: isoIn(0), data: { name: 'x' } })], t);
      expect(update).toMatchObject({ success: false, errorCode: 'NOT_FOUND' });
    });

    it('returns the original result for a replayed operation without writing again', async () => {
      const t = tenant('replay');
      const create = item('create', { data: { name: 'once' } });
      const [first] = await h.push('Space', [create], t);
      const [replayed] = await h.push('Space', [{ ...create, data: { name: 'changed on retry' } }], t);
      expect(replayed).toEqual(first);
      const update = item('update', { id: first!.id, baseVersion: 1, updatedAt: isoIn(1000), data: { viewCount: 5 }, base: { viewCount: 0 } });
      const [updated, sameBatch] = await h.push('Space', [update, update], t);
      const [updatedAgain] = await h.push('Space', [update], t);
      expect(sameBatch).toEqual(updated);
      expect(updatedAgain).toEqual(updated);
      const { items } = await h.pullAll('Space', t);
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({ name: 'once', version: 2, viewCount: 5 });
    });

    it('treats a second create with the same clientId as the same record', async () => {
      const t = tenant('dup');
      const create = item('create', { data: { name: 'a' } });
      const [first] = await h.push('Space', [create], t);
      const [second] = await h.push('Space', [{ ...create, opId: 'another-op-id' }], t);
      const [inBatch, inBatchDup] = await h.push(
        'Space',
        [
          { ...create, opId: 'x1' },
          { ...create, opId: 'x2' },
        ],
        t,
      );
      for (const r of [second, inBatch, inBatchDup]) expect(r).toMatchObject({ success: true, id: first!.id, version: 1 });
      expect((await h.pullAll('Space', t)).items).toHaveLength(1);
    });

    it('sets version and updatedAt itself, ignoring client values', async () => {
      const t = tenant('server-set');
      const before = Date.now();
      const [created] = await h.push('Space', [item('create', { data: { name: 'v', version: 99, updatedAt: '2001-01-01T00:00:00.000Z' } })], t);
      expect(created).toMatchObject({ success: true, version: 1 });
      expect(Date.parse(created!.updatedAt!)).toBeGreaterThanOrEqual(before - 1000);
      const [updated] = await h.push(
        'Space',
        [item('update', { id: created!.id, baseVersion: 1, updatedAt: isoIn(1000), data: { name: 'w', version: 50 } })],
        t,
      );
      expect(updated).toMatchObject({ success: true, version: 2 });
      const { items } = await h.pullAll('Space', t);
      expect(items[0]).toMatchObject({ version: 2, name: 'w' });
      expect(Date.parse(String(items[0]!.updatedAt))).toBeGreaterThanOrEqual(before - 1000);
    });

    it('lastWriteWins: the later updatedAt wins, equal timestamps with different data conflict', async () => {
      const t = tenant('lww');
      const s = await createSpace(t, { name: 'base' });
      // Another device wrote first: version 2.
      const [other] = await h.push('Space', [item('update', { id: s.id, baseVersion: 1, updatedAt: isoIn(0), data: { name: 'other' } })], t);
      expect(other!.version).toBe(2);
      const [older] = await h.push(
        'Space',
        [item('update', { id: s.id, baseVersion: 1, updatedAt: '2000-01-01T00:00:00.000Z', data: { name: 'old edit' } })],
        t,
      );
      expect(older).toMatchObject({ success: false, errorCode: 'CONFLICT', conflict: { conflictType: 'SERVER_NEWER', serverVersion: 2 } });
      expect(older!.conflict!.resolutionSuggested).toMatchObject({ name: 'other' });
      const [same] = await h.push('Space', [item('update', { id: s.id, baseVersion: 1, updatedAt: other!.updatedAt, data: { name: 'tie' } })], t);
      expect(same).toMatchObject({ success: false, errorCode: 'CONFLICT', conflict: { conflictType: 'EQUAL_TIMESTAMP' } });
      const [later] = await h.push('Space', [item('update', { id: s.id, baseVersion: 1, updatedAt: isoIn(60_000), data: { name: 'newest' } })], t);
      expect(later).toMatchObject({ success: true, version: 3 });
      expect((await h.pullAll('Space', t)).items[0]).toMatchObject({ name: 'newest', version: 3 });
    });

    it('serverMerge: three-way merge per rule, a counter merged from two clients, manual fields conflict', async () => {
      const t = tenant('merge');
      const space = await createSpace(t);
      const initial = { name: 'g', score: 10, highWater: 5, lowWater: 5, labels: ['a', 'b'], history: ['h1'], owner: 'ann', spaceId: space.id };
      const [g] = await h.push('Group', [item('create', { data: initial })], t);
      expect(g!.success, JSON.stringify(g)).toBe(true);
      const base = { score: 10, highWater: 5, lowWater: 5, labels: ['a', 'b'], history: ['h1'], owner: 'ann', name: 'g' };
      const [a] = await h.push(
        'Group',
        [
          item('update', {
            id: g!.id,
            baseVersion: 1,
            updatedAt: isoIn(0),
            data: { score: 15, highWater: 9, lowWater: 4, labels: ['a', 'b', 'c'], history: ['h1', 'a1'], owner: 'bob' },
            base,
          }),
        ],
        t,
      );
      expect(a).toMatchObject({ success: true, version: 2 });
      // Client B edited from the same base (version 1): +3 on the counter, others merged by rule.
      const [b] = await h.push(
        'Group',
        [
          item('update', {
            id: g!.id,
            baseVersion: 1,
            updatedAt: isoIn(0),
            data: { score: 13, highWater: 7, lowWater: 2, labels: ['b', 'd'], history: ['h1', 'b1'], name: 'renamed' },
            base,
          }),
        ],
        t,
      );
      expect(b).toMatchObject({ success: true, version: 3 });
      const { items } = await h.pullAll('Group', t);
      expect(items[0]).toMatchObject({
        score: 18,
        highWater: 9,
        lowWater: 2,
        labels: ['b', 'c', 'd'],
        history: ['h1', 'a1', 'b1'],
        owner: 'bob',
        name: 'renamed',
      });
      // A manual field both sides changed differently: conflict, nothing written.
      const [c] = await h.push(
        'Group',
        [item('update', { id: g!.id, baseVersion: 1, updatedAt: isoIn(0), data: { owner: 'carl', score: 11 }, base })],
        t,
      );
      expect(c).toMatchObject({ success: false, errorCode: 'CONFLICT', conflict: { conflictType: 'FIELD_CONFLICT', serverVersion: 3 } });
      expect(c!.conflict!.resolutionSuggested).toMatchObject({ owner: 'bob', score: 19 });
      expect(c!.conflict!.serverData).toMatchObject({ owner: 'bob', score: 18 });
      expect((await h.pullAll('Group', t)).items[0]).toMatchObject({ score: 18, version: 3 });
      // A merge without base values cannot be computed.
      const [d] = await h.push('Group', [item('update', { id: g!.id, baseVersion: 1, updatedAt: isoIn(0), data: { score: 1 } })], t);
      expect(d).toMatchObject({ success: false, errorCode: 'VALIDATION' });
    });

    it('manual: any version mismatch is a conflict; a current base version applies', async () => {
      const t = tenant('manual');
      const [task] = await h.push('Task', [item('create', { data: { title: 'a' } })], t);
      const [first] = await h.push('Task', [item('update', { id: task!.id, baseVersion: 1, updatedAt: isoIn(0), data: { title: 'b' } })], t);
      expect(first).toMatchObject({ success: true, version: 2 });
      const [stale] = await h.push('Task', [item('update', { id: task!.id, baseVersion: 1, updatedAt: isoIn(60_000), data: { title: 'c' } })], t);
      expect(stale).toMatchObject({ success: false, errorCode: 'CONFLICT', conflict: { conflictType: 'VERSION_MISMATCH', serverVersion: 2 } });
      expect(stale!.conflict!.serverData).toMatchObject({ title: 'b' });
      expect(stale!.conflict!.clientData).toEqual({ title: 'c' });
      expect(stale!.conflict!.resolutionSuggested).toMatchObject({ title: 'c' });
      const [staleDelete] = await h.push('Task', [item('delete', { id: task!.id, baseVersion: 1, updatedAt: isoIn(0) })], t);
      expect(staleDelete).toMatchObject({ success: false, errorCode: 'CONFLICT' });
    });

    it('fails invalid items alone and applies the rest of the batch', async () => {
      const t = tenant('invalid');
      const results = await h.push(
        'Space',
        [
          item('create', { data: { name: 'ok-1' } }),
          item('create', { data: { description: 'no name' } }),
          item('create', { data: { name: 42 } }),
          item('create', { data: { name: 'x', nope: 1 } }),
          item('create', { data: { name: 'x', memberCount: 3 } }),
          item('create', { data: { name: 'x', secret: 's' } }),
          item('create', { data: { name: 'x', viewCount: 1.5 } }),
          { opId: 'no-op-kind', clientId: 'c', data: { name: 'x' } },
          item('create', { data: { name: 'ok-2' } }),
        ],
        t,
      );
      expect(results.map((r) => r.errorCode)).toEqual([
        null,
        'VALIDATION',
        'VALIDATION',
        'VALIDATION',
        'VALIDATION',
        'VALIDATION',
        'VALIDATION',
        'VALIDATION',
        null,
      ]);
      expect(results[4]!.errorMessage).toMatch(/read-only/);
      expect(results[5]!.errorMessage).toMatch(/server-only/);
      const names = (await h.pullAll('Space', t)).items.map((i) => i.name).sort();
      expect(names).toEqual(['ok-1', 'ok-2']);
    });

    it('refuses cross-tenant reads, writes and foreign keys', async () => {
      const a = tenant('ta');
      const b = tenant('tb');
      const space = await createSpace(a, { name: 'private' });
      expect((await h.pullAll('Space', b)).items).toEqual([]);
      const results = await h.push(
        'Space',
        [
          item('update', { id: space.id, baseVersion: 1, updatedAt: isoIn(60_000), data: { name: 'stolen' } }),
          item('delete', { id: space.id, baseVersion: 1, updatedAt: isoIn(60_000) }),
          item('create', { data: { name: 'x', tenantId: a } }),
          { ...item('create', { data: { name: 'x' } }), clientId: (await h.pullAll('Space', a)).items[0]!.clientId },
        ],
        b,
      );
      expect(results.map((r) => r.errorCode)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
      const [fk, missing] = await h.push(
        'Group',
        [item('create', { data: { name: 'g', spaceId: space.id } }), item('create', { data: { name: 'g', spaceId: 'no-such-space' } })],
        b,
      );
      expect(fk).toMatchObject({ success: false, errorCode: 'FORBIDDEN' });
      expect(missing).toMatchObject({ success: false, errorCode: 'VALIDATION' });
      expect((await h.pullAll('Space', a)).items[0]).toMatchObject({ name: 'private', version: 1 });
      const anonymous = await h.gql(`{ syncPullSpace { cursor } }`, {}, null);
      expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('never sends @sync.ignore fields, in pulls or in conflict payloads', async () => {
      const t = tenant('ignore');
      const s = await createSpace(t);
      await h.db.prisma.$executeRawUnsafe(`UPDATE "Space" SET "secret" = 'top secret' WHERE "id" = ${h.dialect === 'sqlite' ? '?' : '$1'}`, s.id);
      const generic = await h.pullAll('Space', t);
      expect(Object.keys(generic.items[0]!)).not.toContain('secret');
      expect(Object.keys(generic.items[0]!)).not.toContain('syncSeq');
      const typed = await h.gql(`{ syncPullSpace { items { id secret } } }`, {}, t);
      expect(typed.errors?.[0]?.message).toMatch(/Cannot query field "secret"/);
      await h.push('Space', [item('update', { id: s.id, baseVersion: 1, updatedAt: isoIn(0), data: { name: 'x' } })], t);
      const [conflict] = await h.push(
        'Space',
        [item('update', { id: s.id, baseVersion: 1, updatedAt: '2000-01-01T00:00:00.000Z', data: { name: 'y' } })],
        t,
      );
      expect(conflict!.errorCode).toBe('CONFLICT');
      expect(JSON.stringify(conflict)).not.toContain('top secret');
    });

    it('keeps relation keys marked readonly immutable, and refuses pushes to pull-only entities', async () => {
      const t = tenant('rel');
      const [task, other] = await h.push('Task', [item('create', { data: { title: 'a' } }), item('create', { data: { title: 'b' } })], t);
      const [comment] = await h.push('Comment', [item('create', { data: { body: 'hi', taskId: task!.id } })], t);
      expect(comment!.success).toBe(true);
      const [moved] = await h.push(
        'Comment',
        [item('update', { id: comment!.id, baseVersion: 1, updatedAt: isoIn(0), data: { taskId: other!.id } })],
        t,
      );
      expect(moved).toMatchObject({ success: false, errorCode: 'VALIDATION' });
      const [label] = await h.push('Label', [item('create', { data: { name: 'l' } })], t);
      expect(label).toMatchObject({ success: false, errorCode: 'VALIDATION' });
    });

    it('pulls rows the server wrote itself once markServerWrites numbered them (pull-only reference data)', async () => {
      const t = tenant('labels');
      const id = randomUUID();
      await h.db.prisma.$transaction(async (tx) => {
        const p = h.dialect === 'sqlite' ? ['?', '?', '?', '?'] : ['$1', '$2', '$3', '$4::timestamp(3)'];
        await tx.$executeRawUnsafe(
          `INSERT INTO "Label" ("id", "name", "tenantId", "updatedAt") VALUES (${p.join(', ')})`,
          id,
          'urgent',
          t,
          new Date(),
        );
        await markServerWrites(tx, h.dialect, LabelEntity, t, [id]);
      });
      const { items } = await h.pullAll('Label', t);
      expect(items).toEqual([expect.objectContaining({ id, name: 'urgent', color: '#888888', version: 1 })]);
    });

    it('fails alone an item the database itself rejects, retrying the rest one by one', async () => {
      const t = tenant('dbreject');
      // A database-side rule the generated validators cannot know (like a CHECK constraint).
      const ddl =
        h.dialect === 'sqlite'
          ? [
              `CREATE TRIGGER IF NOT EXISTS space_no_boom BEFORE INSERT ON "Space" WHEN NEW."name" = 'boom' BEGIN SELECT RAISE(ABORT, 'boom refused'); END`,
            ]
          : [
              `CREATE OR REPLACE FUNCTION space_no_boom() RETURNS trigger AS $$ BEGIN IF NEW."name" = 'boom' THEN RAISE EXCEPTION 'boom refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
              `CREATE OR REPLACE TRIGGER space_no_boom BEFORE INSERT ON "Space" FOR EACH ROW EXECUTE FUNCTION space_no_boom()`,
            ];
      for (const statement of ddl) await h.db.prisma.$executeRawUnsafe(statement);
      const results = await h.push(
        'Space',
        [item('create', { data: { name: 'a' } }), item('create', { data: { name: 'boom' } }), item('create', { data: { name: 'b' } })],
        t,
      );
      // A rule of the database refuses the data itself: not retryable, and no SQL or database text in the message.
      expect(results.map((r) => r.errorCode)).toEqual([null, 'VALIDATION', null]);
      expect(results[1]!.errorMessage).toMatch(/^the database refused this item: /);
      expect(results[1]!.errorMessage).not.toMatch(/INSERT|SELECT|Raw query|boom/i);
      expect((await h.pullAll('Space', t)).items.map((i) => i.name).sort()).toEqual(['a', 'b']);
      const [tooBig] = await h.push('Task', [item('create', { data: { title: 'x', bigCount: '9223372036854775808' } })], t);
      expect(tooBig).toMatchObject({ success: false, errorCode: 'VALIDATION' });
    });

    it('accepts `since` from clients of the original API when no cursor is given', async () => {
      const t = tenant('since');
      const [old] = await h.push('Space', [item('create', { data: { name: 'old' } })], t);
      const [fresh] = await h.push('Space', [item('create', { data: { name: 'fresh' } })], t);
      const page = await h.pull('Space', { since: old!.updatedAt! }, t);
      const names = page.items.map((i) => i.name);
      if (fresh!.updatedAt! > old!.updatedAt!) expect(names).toEqual(['fresh']);
      else expect(names).toEqual([]);
      expect(await h.pull('Space', { since: '2001-01-01T00:00:00.000Z' }, t).catch((e: Error) => e.message)).toMatch(/RESYNC_REQUIRED/);
    });

    it('purges old replay-log entries and tombstones; creates stay idempotent by clientId afterwards', async () => {
      const t = tenant('purge');
      const create = item('create', { data: { name: 'kept' } });
      const [first] = await h.push('Space', [create], t);
      const gone = await createSpace(t, { name: 'gone' });
      await h.push('Space', [item('delete', { id: gone.id, baseVersion: 1, updatedAt: isoIn(0) })], t);
      const later = new Date(Date.now() + 60_000);
      expect(await purgeSyncOperations(h.db.prisma, h.dialect, { ttlDays: 0, now: later })).toBeGreaterThanOrEqual(3);
      expect(await purgeTombstones(h.db.prisma, h.dialect, SpaceEntity, { horizonDays: 0, now: later })).toBeGreaterThanOrEqual(1);
      const [again] = await h.push('Space', [create], t);
      expect(again).toMatchObject({ success: true, id: first!.id, version: 1 });
      const count = await h.db.prisma.$queryRawUnsafe<{ n: number | bigint }[]>(
        `SELECT count(*) AS n FROM "Space" WHERE "tenantId" = ${h.dialect === 'sqlite' ? '?' : '$1'}`,
        t,
      );
      expect(Number(count[0]!.n)).toBe(1);
    });

    it('rejects a batch over the limit as a whole', async () => {
      const response = await h.gql(
        `mutation($items: [JSON!]!) { syncPush(entity: "Space", items: $items) { success } }`,
        { items: Array.from({ length: MAX_BATCH + 1 }, () => item('create', { data: { name: 'x' } })) },
        tenant('batch'),
      );
      expect(response.errors?.[0]?.extensions?.code).toBe('BATCH_TOO_LARGE');
      const unknown = await h.gql(`{ syncPull(entity: "Nope") { cursor } }`, {}, tenant('unknown'));
      expect(unknown.errors?.[0]?.extensions?.code).toBe('UNKNOWN_ENTITY');
    });

    it('answers RESYNC_REQUIRED to a cursor older than the tombstone horizon', async () => {
      const t = tenant('horizon');
      await createSpace(t);
      const { cursor } = await h.pullAll('Space', t);
      h.clock.offsetMs = 31 * 86_400_000;
      try {
        const stale = await h.gql(`query($c: String) { syncPull(entity: "Space", cursor: $c) { cursor } }`, { c: cursor }, t);
        expect(stale.errors?.[0]?.extensions?.code).toBe('RESYNC_REQUIRED');
        const fresh = await h.pullAll('Space', t);
        expect(fresh.items).toHaveLength(1);
      } finally {
        h.clock.offsetMs = 0;
      }
      const wrong = await h.gql(`query($c: String) { syncPull(entity: "Group", cursor: $c) { cursor } }`, { c: cursor }, t);
      expect(wrong.errors?.[0]?.extensions?.code).toBe('BAD_CURSOR');
    });
  });
}

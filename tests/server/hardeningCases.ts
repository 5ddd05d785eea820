import type { SyncResultItem } from 'trackhub-sync/runtime/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoIn, item, startHarness, tenant, type Harness } from './harness';

type Target = Parameters<typeof startHarness>[0];

/** Codes a client never retries (runtime/client NON_RETRYABLE_CODES). */
const NON_RETRYABLE = ['VALIDATION', 'FORBIDDEN'];

/**
 * One test per bug of issue #13 and the server side of #10 case 2, through
 * HTTP on the database `target` gives: a bad item fails alone with a
 * non-retryable code naming the field, the good items around it are written
 * exactly once.
 */
export function defineHardeningTests(name: string, target: () => Promise<Target>): void {
  describe(`server hardening over HTTP on ${name}`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(await target());
    });
    afterAll(async () => {
      await h?.close();
    });

    /** Push `[good, bad, good]`; the bad one must fail alone, non-retryably, naming `field`; the good ones land once. */
    const expectFailsAlone = async (
      entity: string,
      good: (n: number) => Record<string, unknown>,
      bad: Record<string, unknown>,
      field: string,
      key: string,
    ) => {
      const t = tenant('alone');
      const results = await h.push(entity, [item('create', { data: good(1) }), item('create', { data: bad }), item('create', { data: good(3) })], t);
      expect(results[0]!.success, JSON.stringify(results[0])).toBe(true);
      expect(results[2]!.success, JSON.stringify(results[2])).toBe(true);
      expect(results[1]!.success).toBe(false);
      expect(NON_RETRYABLE).toContain(results[1]!.errorCode);
      expect(results[1]!.errorMessage).toContain(field);
      expect(results[1]!.errorMessage!.length).toBeLessThan(300);
      const { items } = await h.pullAll(entity, t);
      expect(items.map((i) => i[key]).sort()).toEqual([good(1)[key], good(3)[key]].sort());
      return results[1]!;
    };
    const task = (n: number) => ({ title: `good ${n}` });

    it('#13.1 a BigInt that is not an integer string fails its item alone (generic and typed push)', async () => {
      for (const bigCount of ['1.5', 'abc', '1e5', '', '9223372036854775808', '-9223372036854775809']) {
        await expectFailsAlone('Task', task, { title: 'bad', bigCount }, 'bigCount', 'title');
      }
      const t = tenant('typed-bigint');
      const typed = await h.gql<{ syncPushTask: SyncResultItem[] }>(
        `mutation($items: [TaskPushItem!]!) { syncPushTask(items: $items) { success errorCode errorMessage } }`,
        {
          items: [
            item('create', { data: { title: 'good 1' } }),
            item('create', { data: { title: 'bad', bigCount: '1.5' } }),
            item('create', { data: { title: 'good 3' } }),
          ],
        },
        t,
      );
      expect(typed.errors).toBeUndefined();
      expect(typed.data!.syncPushTask.map((r) => r.errorCode)).toEqual([null, 'VALIDATION', null]);
      expect((await h.pullAll('Task', t)).items).toHaveLength(2);
      // The edges of the 64-bit and 32-bit columns are stored exactly.
      const [max, min, int] = await h.push(
        'Task',
        [
          item('create', { data: { title: 'max', bigCount: '9223372036854775807' } }),
          item('create', { data: { title: 'min', bigCount: '-9223372036854775808' } }),
          item('create', { data: { title: 'x' } }),
        ],
        t,
      );
      expect([max, min, int].every((r) => r!.success)).toBe(true);
      await expectFailsAlone('Space', (n) => ({ name: `good ${n}` }), { name: 'bad', viewCount: 2 ** 31 }, 'viewCount', 'name');
    });

    it('#13.2 JSON nested deeper than the limit fails its item alone; a 50,000-deep literal is a GraphQL error, not HTTP 500', async () => {
      let deep: unknown = 'leaf';
      for (let i = 0; i < 3000; i++) deep = [deep];
      const refused = await expectFailsAlone('Space', (n) => ({ name: `good ${n}` }), { name: 'bad', settings: deep }, 'settings', 'name');
      expect(refused.errorMessage).toMatch(/nested deeper than 64 levels/);
      // 64 levels are accepted and come back unchanged.
      let ok: unknown = 1;
      for (let i = 0; i < 64; i++) ok = { k: ok };
      const t = tenant('deep-ok');
      const [accepted] = await h.push('Space', [item('create', { data: { name: 'ok', settings: ok } })], t);
      expect(accepted!.success, JSON.stringify(accepted)).toBe(true);
      expect((await h.pullAll('Space', t)).items[0]!.settings).toEqual(ok);
      // A deep `base` (only compared, never stored) is bounded the same way.
      const [badBase] = await h.push(
        'Space',
        [item('update', { id: accepted!.id, baseVersion: 1, updatedAt: isoIn(0), data: { name: 'x' }, base: { settings: deep } })],
        t,
      );
      expect(badBase).toMatchObject({ success: false, errorCode: 'VALIDATION' });

      const literal = `${'['.repeat(50_000)}1${']'.repeat(50_000)}`;
      const response = await fetch(h.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer dev:t1:u' },
        body: JSON.stringify({
          query: `mutation { syncPush(entity: "Space", items: [{ opId: "x", op: "create", clientId: "c", data: { name: "n", settings: ${literal} } }]) { success } }`,
        }),
      });
      expect(response.status).toBeLessThan(500);
      const body = (await response.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
      expect(body.errors?.[0]?.extensions?.code).toBe('DOCUMENT_TOO_COMPLEX');
      expect(body.errors?.[0]?.message).toMatch(/nests deeper than/);
      // The server is still up.
      expect((await h.pull('Space', {}, t)).items).toHaveLength(1);
    });

    it('#13.3 a cursor that decodes to null, a number, a list or garbage is BAD_CURSOR', async () => {
      const t = tenant('cursor');
      const encode = (text: string) => Buffer.from(text).toString('base64url');
      const cursors = [
        'bnVsbA',
        encode('42'),
        encode('"text"'),
        encode('[]'),
        encode('{"e":"Space","s":"1","t":1e400}'),
        encode('{"e":"Space","s":"99999999999999999999999","t":1}'),
        encode('{"e":"Space"}'),
        '!!!',
        '',
      ];
      for (const cursor of cursors) {
        const response = await h.gql(`query($c: String) { syncPull(entity: "Space", cursor: $c) { cursor } }`, { c: cursor }, t);
        if (cursor === '') {
          expect(response.errors).toBeUndefined(); // empty means "no cursor"
          continue;
        }
        expect(response.errors?.[0]?.extensions?.code, cursor).toBe('BAD_CURSOR');
      }
    });

    it('#13.4/#13.5 values the database would refuse or change fail their item alone: NUL, lone surrogates, year 0000', async () => {
      const bad: [Record<string, unknown>, string][] = [
        [{ title: 'nul\u0000inside' }, 'title'],
        [{ title: 'lone\ud800x' }, 'title'],
        [{ title: 'lone\udc00x' }, 'title'],
        [{ title: 'x', createdAt: '0000-01-01T00:00:00.000Z' }, 'createdAt'],
        [{ title: 'x', dueAt: '0001-01-01T00:30:00+01:00' }, 'dueAt'],
        [{ title: 'x', dueAt: '2025-02-30T00:00:00.000Z' }, 'dueAt'],
        [{ title: 'x', estimate: '1'.repeat(40) }, 'estimate'],
      ];
      for (const [data, field] of bad) {
        const refused = await expectFailsAlone('Task', task, data, field, 'title');
        expect(refused.errorCode).toBe('VALIDATION');
        expect(refused.errorMessage).not.toMatch(/Raw query|SQLSTATE|INSERT/);
      }
      for (const settings of [{ note: 'nul\u0000' }, ['lone\ud800'], { ['key\ud800']: 1 }]) {
        await expectFailsAlone('Space', (n) => ({ name: `good ${n}` }), { name: 'bad', settings }, 'settings', 'name');
      }
      // Well-formed astral characters (a surrogate pair) and the edge years are stored unchanged.
      const t = tenant('unicode');
      const title = 'emoji 😀 𝄞 ok';
      const [ok] = await h.push(
        'Task',
        [item('create', { data: { title, dueAt: '0001-01-01T00:00:00.000Z', createdAt: '9999-12-31T23:59:59.999Z' } })],
        t,
      );
      expect(ok!.success, JSON.stringify(ok)).toBe(true);
      expect((await h.pullAll('Task', t)).items[0]).toMatchObject({
        title,
        dueAt: '0001-01-01T00:00:00.000Z',
        createdAt: '9999-12-31T23:59:59.999Z',
      });
      // Ids of the envelope are checked too.
      const [badOp] = await h.push('Task', [{ ...item('create', { data: task(1) }), clientId: 'c\u0000' }], t);
      expect(badOp).toMatchObject({ success: false, errorCode: 'VALIDATION' });
    });

    it("#13.6 an operation id reused for another entity never returns the other entity's result", async () => {
      const t = tenant('opscope');
      const opId = `shared-${t}`;
      const [space] = await h.push('Space', [{ ...item('create', { data: { name: 's' } }), opId }], t);
      const [taskResult] = await h.push('Task', [{ ...item('create', { data: { title: 'task' } }), opId }], t);
      expect(taskResult!.success).toBe(true);
      expect(taskResult!.id).not.toBe(space!.id);
      expect((await h.pullAll('Task', t)).items.map((i) => i.id)).toEqual([taskResult!.id]);
      // Each entity still replays its own result.
      const [again] = await h.push('Task', [{ ...item('create', { data: { title: 'task' } }), opId }], t);
      expect(again).toEqual(taskResult);
    });

    it("#13.7 results echo clientId consistently: a conflict on an update sent by id carries the record's clientId", async () => {
      const t = tenant('echo');
      const create = item('create', { data: { title: 'a' } });
      const [created] = await h.push('Task', [create], t);
      const clientId = create.clientId as string;
      expect(created!.clientId).toBe(clientId);
      const [updated] = await h.push('Task', [item('update', { id: created!.id, baseVersion: 1, updatedAt: isoIn(0), data: { title: 'b' } })], t);
      expect(updated).toMatchObject({ success: true, clientId });
      const [conflict] = await h.push('Task', [item('update', { id: created!.id, baseVersion: 1, updatedAt: isoIn(0), data: { title: 'c' } })], t);
      expect(conflict).toMatchObject({ success: false, errorCode: 'CONFLICT', clientId, id: created!.id });
      const [staleDelete] = await h.push('Task', [item('delete', { id: created!.id, baseVersion: 1, updatedAt: isoIn(0) })], t);
      expect(staleDelete).toMatchObject({ errorCode: 'CONFLICT', clientId });
      // docs/PROTOCOL.md: a data.clientId that differs from clientId is VALIDATION (not silently dropped).
      const [differs] = await h.push('Task', [item('create', { data: { title: 'x', clientId: 'other' } })], t);
      expect(differs).toMatchObject({ success: false, errorCode: 'VALIDATION' });
    });

    it('#10.2 a late copy of a refused serverMerge update is answered with its conflict, never merged again', async () => {
      const t = tenant('late-copy');
      const [g] = await h.push('Group', [item('create', { data: { name: 'g', score: 0, owner: 'ann' } })], t);
      // Device A changes the manual field first.
      const [a] = await h.push(
        'Group',
        [item('update', { id: g!.id, baseVersion: 1, updatedAt: isoIn(0), data: { owner: 'bob' }, base: { owner: 'ann' } })],
        t,
      );
      expect(a).toMatchObject({ success: true, version: 2 });
      // Device B, from version 1: owner changed and score +5 → field conflict, nothing applied.
      const stale = item('update', {
        id: g!.id,
        baseVersion: 1,
        updatedAt: isoIn(0),
        data: { owner: 'carl', score: 5 },
        base: { owner: 'ann', score: 0 },
      });
      const [refused] = await h.push('Group', [stale], t);
      expect(refused).toMatchObject({ success: false, errorCode: 'CONFLICT', conflict: { conflictType: 'FIELD_CONFLICT' } });
      // B resolves (keep local) and re-pushes under a new operation id, based on the server's version.
      const [resolved] = await h.push(
        'Group',
        [item('update', { id: g!.id, baseVersion: 2, updatedAt: isoIn(0), data: { owner: 'carl', score: 5 }, base: { owner: 'bob', score: 0 } })],
        t,
      );
      expect(resolved).toMatchObject({ success: true, version: 3 });
      // A late copy of the first request (a retrying proxy, a duplicated POST) arrives now.
      const [late] = await h.push('Group', [stale], t);
      expect(late).toEqual(refused);
      const { items } = await h.pullAll('Group', t);
      expect(items[0]).toMatchObject({ score: 5, owner: 'carl', version: 3 });
      // Any copy under the same id gets the stored refusal, even one whose content changed (a retry with a newer baseVersion).
      const [changed] = await h.push('Group', [{ ...stale, baseVersion: 3, data: { score: 6 }, base: { score: 5 } }], t);
      expect(changed).toEqual(refused);
      expect((await h.pullAll('Group', t)).items[0]).toMatchObject({ score: 5, version: 3 });
    });

    it('replays every terminal result: validation, forbidden and not-found copies are answered from the log', async () => {
      const t = tenant('terminal');
      const other = tenant('terminal-other');
      const [foreign] = await h.push('Space', [item('create', { data: { name: 'theirs' } })], other);
      const invalid = item('create', { data: { title: 'x', bigCount: '1.5' } });
      const forbidden = item('update', { id: foreign!.id, baseVersion: 1, updatedAt: isoIn(0), data: { name: 'mine' } });
      const missing = item('update', { id: 'no-such-id', baseVersion: 1, updatedAt: isoIn(0), data: { title: 'x' } });
      const first = [...(await h.push('Task', [invalid, missing], t)), ...(await h.push('Space', [forbidden], t))];
      expect(first.map((r) => r.errorCode)).toEqual(['VALIDATION', 'NOT_FOUND', 'FORBIDDEN']);
      const again = [...(await h.push('Task', [invalid, missing], t)), ...(await h.push('Space', [forbidden], t))];
      expect(again).toEqual(first);
      const rows = await h.db.prisma.$queryRawUnsafe<{ n: number | bigint }[]>(
        `SELECT count(*) AS n FROM "SyncOperation" WHERE "tenantId" = ${h.dialect === 'sqlite' ? '?' : '$1'}`,
        t,
      );
      expect(Number(rows[0]!.n)).toBe(3);
    });

    it('classifies database errors: a transient failure is retryable INTERNAL, a data error VALIDATION, neither quotes SQL', async () => {
      const t = tenant('classify');
      const ddl =
        h.dialect === 'sqlite'
          ? [
              `CREATE TRIGGER IF NOT EXISTS task_unique_title BEFORE INSERT ON "Task" WHEN NEW."title" = 'dup' AND EXISTS (SELECT 1 FROM "Task" WHERE "title" = 'dup') BEGIN SELECT RAISE(ABORT, 'duplicate'); END`,
            ]
          : [
              `CREATE UNIQUE INDEX IF NOT EXISTS task_unique_dup ON "Task" ("title") WHERE "title" = 'dup'`,
              `CREATE OR REPLACE FUNCTION task_flaky() RETURNS trigger AS $$ BEGIN IF NEW."title" = 'flaky' THEN RAISE EXCEPTION 'try again' USING ERRCODE = 'serialization_failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
              `CREATE OR REPLACE TRIGGER task_flaky BEFORE INSERT ON "Task" FOR EACH ROW EXECUTE FUNCTION task_flaky()`,
            ];
      for (const statement of ddl) await h.db.prisma.$executeRawUnsafe(statement);
      await h.push('Task', [item('create', { data: { title: 'dup' } })], tenant('classify-first'));
      const results = await h.push(
        'Task',
        [item('create', { data: { title: 'a' } }), item('create', { data: { title: 'dup' } }), item('create', { data: { title: 'b' } })],
        t,
      );
      expect(results.map((r) => r.errorCode)).toEqual([null, 'VALIDATION', null]);
      expect(results[1]!.errorMessage).toMatch(/^the database refused this item/);
      if (h.dialect === 'postgresql') {
        expect(results[1]!.errorMessage).toMatch(/unique constraint \(SQLSTATE 23505\)/);
        const flakyItem = item('create', { data: { title: 'flaky' } });
        const [x, flaky, y] = await h.push(
          'Task',
          [item('create', { data: { title: 'x' } }), flakyItem, item('create', { data: { title: 'y' } })],
          t,
        );
        expect([x!.success, y!.success]).toEqual([true, true]);
        expect(flaky).toMatchObject({ success: false, errorCode: 'INTERNAL' });
        expect(flaky!.errorMessage).toMatch(/^temporary database failure \(SQLSTATE 40001\); retry$/);
        // A transient failure is not stored: once the cause is gone, the same operation id is applied.
        await h.db.prisma.$executeRawUnsafe(`DROP TRIGGER task_flaky ON "Task"`);
        const [retried] = await h.push('Task', [flakyItem], t);
        expect(retried).toMatchObject({ success: true, version: 1 });
      }
      for (const r of results) expect(r.errorMessage ?? '').not.toMatch(/INSERT|SELECT|Raw query|duplicate key/i);
      expect((await h.pullAll('Task', t)).items.map((i) => i.title).sort()).toEqual(
        h.dialect === 'postgresql' ? ['a', 'b', 'flaky', 'x', 'y'] : ['a', 'b'],
      );
    });
  });
}

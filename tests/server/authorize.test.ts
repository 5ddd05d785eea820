import { tenantIsolation, type AuthorizeFn } from 'trackhub-sync/runtime/server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isoIn, item, startHarness, tenant, type Harness } from './harness';

// The authorization extension point: an app rule on top of tenant isolation.
const authorize: AuthorizeFn = (auth, entity, op, record) => {
  if (!tenantIsolation(auth, entity, op, record)) return false;
  if (op === 'read' && record.name === 'hidden') return false;
  if (op !== 'read' && op !== 'create' && record.name === 'locked') return false;
  return !(op === 'create' && record.name === 'forbidden name');
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ kind: 'sqlite' }, { authorize });
});
afterAll(async () => {
  await h?.close();
});

it('a custom authorize hook refuses reads and writes per record, tenant isolation kept', async () => {
  const t = tenant('authz');
  const [locked, hidden, denied] = await h.push(
    'Space',
    [
      item('create', { data: { name: 'locked' } }),
      item('create', { data: { name: 'hidden' } }),
      item('create', { data: { name: 'forbidden name' } }),
    ],
    t,
  );
  expect([locked!.success, hidden!.success, denied!.errorCode]).toEqual([true, true, 'FORBIDDEN']);
  const [update] = await h.push('Space', [item('update', { id: locked!.id, baseVersion: 1, updatedAt: isoIn(1000), data: { description: 'x' } })], t);
  expect(update).toMatchObject({ success: false, errorCode: 'FORBIDDEN' });
  const { items } = await h.pullAll('Space', t);
  expect(items.map((i) => i.name)).toEqual(['locked']);
  expect((await h.pullAll('Space', tenant('other'))).items).toEqual([]);
});

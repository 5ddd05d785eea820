import { describe, expect, it } from 'vitest';
import { mergedRecord, type MergeInput } from './mergeResolution';
import type { EntityMeta } from './meta';

const meta: EntityMeta = {
  name: 'Board',
  table: 'boards',
  strategy: 'serverMerge',
  direction: 'bidirectional',
  scope: 'tenantId',
  layoutHash: 'x',
  belongsTo: [],
  fields: [
    { name: 'title', column: 'title', kind: 'string', optional: false, push: 'always' },
    { name: 'owner', column: 'owner', kind: 'string', optional: true, push: 'always', merge: { rule: 'manual', scalar: 'String' } },
    { name: 'likes', column: 'likes', kind: 'number', optional: false, push: 'always', merge: { rule: 'counter', scalar: 'Int' } },
    { name: 'budget', column: 'budget', kind: 'string', optional: false, push: 'always', merge: { rule: 'counter', scalar: 'Decimal' } },
    { name: 'best', column: 'best', kind: 'string', optional: false, push: 'always', merge: { rule: 'max', scalar: 'BigInt' } },
    { name: 'log', column: 'log', kind: 'json', optional: true, push: 'always', list: true, merge: { rule: 'append', scalar: 'String' } },
  ],
};

// The server had likes 10; the device's refused change +3 (owner conflict); elsewhere +5 since.
const server = { title: 'board', owner: 'alice', likes: 15, budget: '1.50', best: '90', log: ['a', 'b'] };
const input = (over: Partial<MergeInput>): MergeInput => ({
  meta,
  server,
  suggested: { ...server, likes: 18, log: ['a', 'b', 'mine'] },
  localData: { title: 'board', owner: 'bob', likes: 13, budget: '1.50', best: '90', log: ['a', 'mine'] },
  refused: { payload: { owner: 'bob', likes: 13, log: ['a', 'mine'] }, base: { owner: 'ann', likes: 10, log: ['a'] } },
  later: [],
  data: {},
  ...over,
});

describe('mergedRecord', () => {
  it('takes the suggestion when nothing was edited beside the refused change, then data', () => {
    expect(mergedRecord(input({ data: { owner: 'alice+bob' } }))).toEqual({ ...server, likes: 18, log: ['a', 'b', 'mine'], owner: 'alice+bob' });
  });

  it('re-applies entries queued behind the refused one by their rules, against their own bases', () => {
    const later = [
      {
        payload: { likes: 14, budget: '2.25', best: '12', log: ['a', 'mine', 'next'] },
        base: { likes: 13, budget: '1.50', best: '9', log: ['a', 'mine'] },
      },
      { payload: { title: 'renamed', likes: 16 }, base: { title: 'board', likes: 14 } },
    ];
    expect(mergedRecord(input({ later }))).toEqual({
      title: 'renamed',
      owner: 'alice',
      likes: 21, // 18 + 1 + 2
      budget: '2.25', // 1.50 + 0.75, in decimal arithmetic
      best: '90', // max by number, not by text ('90' > '12')
      log: ['a', 'b', 'mine', 'next'],
    });
  });

  it('re-applies edits folded into the refused entry after the refusal against the refused values', () => {
    const refused = { payload: { owner: 'carol', likes: 15, log: ['a', 'mine'] }, base: { owner: 'ann', likes: 10, log: ['a'] } };
    // likes +2 and a new owner after the refusal: the owner is the person's edit, kept.
    expect(mergedRecord(input({ refused }))).toMatchObject({ owner: 'carol', likes: 20, log: ['a', 'b', 'mine'] });
  });

  it('without a fresh suggestion re-applies the refused change to the newest server record', () => {
    expect(mergedRecord(input({ suggested: null }))).toMatchObject({ owner: 'bob', likes: 18, log: ['a', 'b', 'mine'] });
  });
});

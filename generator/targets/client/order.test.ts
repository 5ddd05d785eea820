import { describe, expect, it } from 'vitest';
import type { IrEntity, IrField, IrRelation } from '../../ir/types';
import { layoutHash, pushMode } from './metaView';
import { defineRegistry, type EntityMeta } from '../../../runtime/client/meta';
import { deferredKeys, dependencyOrder, requiredCycleWarnings } from './order';

const loc = { file: 'x', line: 1, column: 1 };
const field = (name: string, extra: Partial<IrField> = {}): IrField => ({
  name,
  column: name,
  dbName: null,
  type: { kind: 'scalar', scalar: 'String' },
  isList: false,
  isRequired: false,
  isId: false,
  isUnique: false,
  isBase: false,
  default: null,
  serverManaged: false,
  ignore: false,
  readonly: false,
  merge: 'lww',
  index: false,
  location: loc,
  ...extra,
});
const belongsTo = (target: string, foreignKey: string, immutable = false): IrRelation => ({
  name: target.toLowerCase(),
  kind: 'belongsTo',
  target,
  foreignKey,
  immutable,
  isRequired: false,
  location: loc,
});
const entity = (name: string, relations: IrRelation[] = [], fields: IrField[] = []): IrEntity => ({
  name,
  table: `${name.toLowerCase()}s`,
  dbName: null,
  strategy: 'lastWriteWins',
  direction: 'bidirectional',
  scope: 'tenantId',
  fields,
  relations,
  location: loc,
});

describe('client registry', () => {
  it('orders parents before children, otherwise keeping schema order', () => {
    const comment = entity('Comment', [belongsTo('Task', 'taskId')]);
    const task = entity('Task', [belongsTo('Space', 'spaceId'), belongsTo('Task', 'parentId')]);
    const label = entity('Label');
    const space = entity('Space');
    expect(dependencyOrder([comment, task, label, space]).map((e) => e.name)).toEqual(['Label', 'Space', 'Task', 'Comment']);
  });

  it('warns (TS123) when every key of a cycle is required, and not when one is optional', () => {
    const required = (name: string) => field(name, { isRequired: true });
    const org = entity('Org', [belongsTo('Settings', 'settingsId')], [required('settingsId')]);
    const settings = entity('Settings', [belongsTo('Org', 'orgId')], [required('orgId')]);
    const warnings = requiredCycleWarnings([org, settings]);
    expect(warnings.map((w) => [w.code, w.severity])).toEqual([['TS123', 'warning']]);
    expect(warnings[0]!.message).toContain(
      'model Org › field settingsId: every key of the cycle Org.settingsId -> Settings (Settings.orgId -> ...) is required',
    );
    expect(warnings[0]!.hint).toContain('`settingsId String?`');
    const optionalOrg = entity('Org', [belongsTo('Settings', 'settingsId')], [field('settingsId')]);
    expect(requiredCycleWarnings([optionalOrg, settings])).toEqual([]);
    expect(requiredCycleWarnings([entity('Task', [belongsTo('Task', 'parentId')], [required('parentId')])])).toEqual([]);
  });

  it('breaks a cycle at the first entity in schema order instead of looping', () => {
    const a = entity('A', [belongsTo('B', 'bId')]);
    const b = entity('B', [belongsTo('A', 'aId')]);
    expect(dependencyOrder([a, b]).map((e) => e.name)).toEqual(['A', 'B']);
  });

  it('breaks a cycle at an optional key, marks it deferred, and the runtime registry accepts it', () => {
    const org = entity('Org', [belongsTo('Settings', 'settingsId')], [field('settingsId', { isRequired: false })]);
    const settings = entity('Settings', [belongsTo('Org', 'orgId')], [field('orgId', { isRequired: true })]);
    // Settings' key is required: the cycle is broken at Org's optional one, whatever the schema order.
    expect(dependencyOrder([settings, org]).map((e) => e.name)).toEqual(['Org', 'Settings']);
    expect(deferredKeys([settings, org])).toEqual(new Map([['Org', new Set(['settingsId'])]]));
    const meta = (name: string, belongsTo: EntityMeta['belongsTo']): EntityMeta => ({
      name,
      table: name,
      strategy: 'lastWriteWins',
      direction: 'bidirectional',
      scope: 'tenantId',
      layoutHash: '0',
      fields: [],
      belongsTo,
    });
    const orgMeta = meta('Org', [{ field: 'settingsId', target: 'Settings', deferred: true }]);
    const settingsMeta = meta('Settings', [{ field: 'orgId', target: 'Org' }]);
    expect(defineRegistry({ entities: [orgMeta, settingsMeta] }).entities).toHaveLength(2);
    expect(() => defineRegistry({ entities: [meta('Org', [{ field: 'settingsId', target: 'Settings' }]), settingsMeta] })).toThrow(
      /not listed before it/,
    );
    expect(() => defineRegistry({ entities: [meta('Org', [{ field: 'x', target: 'Nope', deferred: true }])] })).toThrow(/not in the registry/);
  });

  it('decides what a client may push', () => {
    const e = entity('Comment', [belongsTo('Task', 'taskId', true)]);
    expect(pushMode(e, field('body'))).toBe('always');
    expect(pushMode(e, field('version', { serverManaged: true }))).toBe('never');
    expect(pushMode(e, field('clientId'))).toBe('never');
    expect(pushMode(e, field('tenantId'))).toBe('never');
    expect(pushMode(e, field('memberCount', { readonly: true }))).toBe('never');
    expect(pushMode(e, field('taskId', { readonly: true }))).toBe('create');
  });

  it('changes the layout hash when a migration would add a column, and only then', () => {
    const before = entity('Space', [], [field('name')]);
    expect(layoutHash(before)).toBe(layoutHash(entity('Space', [], [field('name', { merge: 'counter' })])));
    expect(layoutHash(entity('Space', [], [field('name'), field('description')]))).not.toBe(layoutHash(before));
  });
});

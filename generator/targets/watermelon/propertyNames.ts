import type { IrEntity } from '../../ir/types';

/**
 * Members of WatermelonDB's `Model` (instance and static, @nozbe/watermelondb
 * 0.28 Model/index.js) that a generated property would shadow, breaking the
 * class ("not assignable to base type 'Model'") or the record at run time
 * ("Don't set relation directly"). Every name starting with `_` is also
 * WatermelonDB's (`_raw`, `_setRaw`, `_preparedState`, ...).
 */
const MODEL_MEMBERS = new Set([
  'id',
  'table',
  'associations',
  'collection',
  'collections',
  'database',
  'db',
  'asModel',
  'syncStatus',
  'update',
  'prepareUpdate',
  'cancelPrepareUpdate',
  'prepareMarkAsDeleted',
  'prepareDestroyPermanently',
  'markAsDeleted',
  'destroyPermanently',
  'experimentalMarkAsDeleted',
  'experimentalDestroyPermanently',
  'experimentalSubscribe',
  'observe',
  'batch',
  'callWriter',
  'callReader',
  'subAction',
  'serverId',
  'constructor',
]);

function isTaken(name: string): boolean {
  return MODEL_MEMBERS.has(name) || name.startsWith('_');
}

/**
 * Property name of each field and relation on the generated model class, by
 * schema name. A name WatermelonDB's `Model` already has is renamed
 * (`collection` -> `collectionField` / `collectionRelation`, `_raw` ->
 * `rawField`); the column, the wire name and the client API keep the schema
 * name (README "Names").
 */
export function propertyNames(entity: IrEntity): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>([...entity.fields.map((f) => f.name), ...entity.relations.map((r) => r.name)]);
  const pick = (name: string, suffix: string) => {
    if (!isTaken(name)) return name;
    const base = name.replace(/^_+/, '') || 'value';
    let candidate = `${base}${suffix}`;
    while (used.has(candidate) || isTaken(candidate)) candidate = `${candidate}_`;
    used.add(candidate);
    return candidate;
  };
  for (const f of entity.fields) out.set(f.name, pick(f.name, 'Field'));
  for (const r of entity.relations) out.set(r.name, pick(r.name, 'Relation'));
  return out;
}

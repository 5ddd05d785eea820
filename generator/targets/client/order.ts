import type { IrEntity } from '../../ir/types';

/**
 * Entities with every parent before its children (belongsTo targets first),
 * otherwise in schema order: the push order of README "Client sync" and the pull order that
 * lets a child's foreign key find its parent's local id. Self-relations are
 * ignored (the push sends a parent before its children round by round). A
 * cycle (`Org.settingsId` -> Settings, `Settings.orgId` -> Org) is broken at
 * the first entity in schema order whose keys into the rest of the cycle are
 * all optional (else the first one): those keys become deferred
 * (`deferredKeys`).
 */
export function dependencyOrder(entities: IrEntity[]): IrEntity[] {
  const placed = new Set<string>();
  const out: IrEntity[] = [];
  const parents = (e: IrEntity) => e.relations.filter((r) => r.kind === 'belongsTo' && r.target !== e.name);
  const fieldOf = (e: IrEntity, name: string) => e.fields.find((f) => f.name === name);
  while (out.length < entities.length) {
    const open = entities.filter((e) => !placed.has(e.name));
    const next =
      open.find((e) => parents(e).every((p) => placed.has(p.target))) ??
      open.find((e) => parents(e).every((p) => placed.has(p.target) || !fieldOf(e, p.foreignKey)?.isRequired)) ??
      open[0]!;
    placed.add(next.name);
    out.push(next);
  }
  return out;
}

/**
 * Keys pointing at an entity later in `dependencyOrder` (a cycle), by entity
 * name. The client creates such a record with the key unset and sets it in a
 * follow-up update once the parent has a server id (README "Relations").
 */
export function deferredKeys(entities: IrEntity[]): Map<string, Set<string>> {
  const position = new Map(dependencyOrder(entities).map((e, i) => [e.name, i]));
  const out = new Map<string, Set<string>>();
  for (const e of entities) {
    const keys = e.relations
      .filter((r) => r.kind === 'belongsTo' && r.target !== e.name && position.get(r.target)! > position.get(e.name)!)
      .map((r) => r.foreignKey);
    if (keys.length > 0) out.set(e.name, new Set(keys));
  }
  return out;
}

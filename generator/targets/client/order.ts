import { type Diagnostic, DiagnosticCode, diagnostic } from '../../diagnostics';
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

/**
 * A warning (TS123) for each deferred key that is required: every key of its
 * cycle is required, so no order of inserts satisfies the cycle. The client
 * still defers the key (it pushes the create with the key unset and sets it in
 * the update queued behind), which the server refuses for a required field
 * unless the record it points at already has a server id. Records of such a
 * cycle created offline in the same sync therefore fail.
 */
export function requiredCycleWarnings(entities: IrEntity[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const byName = new Map(entities.map((e) => [e.name, e]));
  for (const [name, keys] of deferredKeys(entities)) {
    const entity = byName.get(name)!;
    for (const relation of entity.relations) {
      if (relation.kind !== 'belongsTo' || !keys.has(relation.foreignKey)) continue;
      if (!entity.fields.find((f) => f.name === relation.foreignKey)?.isRequired) continue;
      const target = byName.get(relation.target)!;
      const back = target.relations.filter((r) => r.kind === 'belongsTo' && r.target !== target.name).map((r) => `${target.name}.${r.foreignKey}`);
      out.push(
        diagnostic(
          DiagnosticCode.requiredKeyCycle,
          relation.location,
          `model ${name} › field ${relation.foreignKey}: every key of the cycle ${name}.${relation.foreignKey} -> ${relation.target}${back.length ? ` (${back.join(', ')} -> ...)` : ''} is required, so no order of inserts satisfies it. The client pushes ${name} after ${relation.target} and defers ${name}.${relation.foreignKey}: a ${name} created while its ${relation.target} has no server id yet is sent with the key unset and the server refuses it (VALIDATION, not retried); it syncs only when the ${relation.target} already exists on the server`,
          `Make one key of the cycle optional (\`${relation.foreignKey} String?\` / \`${relation.foreignKey}: ID\`): the client then creates that record first with the key unset and sets the key in an update right behind the create (README "Relations").`,
          'warning',
        ),
      );
    }
  }
  return out;
}

import type { IrEntity } from '../../ir/types';

/**
 * Entities with every parent before its children (belongsTo targets first),
 * otherwise in schema order: the push order of README "Client sync" and the pull order that
 * lets a child's foreign key find its parent's local id. Self-relations are
 * ignored; a cycle is broken at the first entity in schema order.
 */
export function dependencyOrder(entities: IrEntity[]): IrEntity[] {
  const placed = new Set<string>();
  const out: IrEntity[] = [];
  const parentsOf = (e: IrEntity) => e.relations.filter((r) => r.kind === 'belongsTo' && r.target !== e.name).map((r) => r.target);
  while (out.length < entities.length) {
    const next =
      entities.find((e) => !placed.has(e.name) && parentsOf(e).every((p) => placed.has(p))) ?? entities.find((e) => !placed.has(e.name))!;
    placed.add(next.name);
    out.push(next);
  }
  return out;
}

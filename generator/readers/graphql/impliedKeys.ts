import { lowerFirst, upperFirst } from '../../ir/names';
import type { FieldFacts, ModelFacts } from '../facts';

/**
 * SDL writes relations as object fields and leaves the key implied (as
 * Amplify's `@belongsTo` / `@hasMany` do). This pass gives every relation
 * between synced types the facts Prisma would state outright (README
 * "Relations"):
 *
 * - `project: Project` is held by `projectId` (name + `suffix`); the key field
 *   is added when the type does not declare it.
 * - `projects: [Project]` pairs with the single field of Project pointing
 *   back (`workspace: Workspace`), or the one `@syncRelation(field: ...)` names. With none, Project gains the key
 *   (`workspaceId`, or the declared scalar of that name) and a relation field
 *   back. With several, or a list on both sides (many-to-many), nothing is
 *   paired and `ir/build.ts` reports it.
 *
 * Fields marked `@syncIgnore` and types without `@sync` are left alone.
 * Mutates the facts it is given (the reader's own, not yet returned).
 */
export function resolveImpliedKeys(models: ModelFacts[], suffix: string): void {
  const synced = new Map(models.filter((m) => m.annotations.some((a) => a.name === 'sync')).map((m) => [m.name, m]));
  const ignored = (f: FieldFacts) => f.annotations.some((a) => a.name === 'sync.ignore');
  const relationName = (owner: string, field: string) => `${owner}.${field}`;

  // Single-valued fields first: they own the keys that list fields pair with.
  for (const model of synced.values()) {
    for (const field of [...model.fields]) {
      if (field.kind !== 'object' || field.isList) continue;
      field.relation = { fromFields: [], relationName: null };
      if (ignored(field) || !synced.has(field.typeName)) continue;
      const key = `${field.name}${suffix}`;
      if (!model.fields.some((f) => f.name === key)) {
        model.fields.splice(model.fields.indexOf(field), 0, impliedKey(key, field.isRequired, field));
      }
      field.relation = { fromFields: [key], relationName: relationName(model.name, field.name) };
    }
  }

  for (const model of synced.values()) {
    const lists = model.fields.filter((f) => f.kind === 'object' && f.isList);
    for (const field of lists) {
      field.relation = { fromFields: [], relationName: null };
      const target = synced.get(field.typeName);
      if (ignored(field) || !target) continue;
      const back = target.fields.filter((t) => t !== field && t.kind === 'object' && t.typeName === model.name && !ignored(t));
      // `@syncRelation(field: "followee")` names the field of the target this list follows.
      const chosen = field.annotations.find((a) => a.name === 'sync.relation')?.named.field?.value;
      const single = back.filter((t) => !t.isList && (chosen === undefined || t.name === chosen));
      if (single.length === 1) {
        field.relation.relationName = single[0]!.relation?.relationName ?? null;
        continue;
      }
      // Several candidates (ambiguous) or a list back (many-to-many): build.ts explains.
      if (back.length > 0) continue;
      const unpaired = lists.filter((l) => l.typeName === target.name && !ignored(l));
      const base = unpaired.length > 1 ? `${lowerFirst(model.name)}${upperFirst(field.name)}` : lowerFirst(model.name);
      const key = `${base}${suffix}`;
      let keyField = target.fields.find((t) => t.name === key);
      if (!keyField) {
        keyField = impliedKey(key, false, field, target);
        target.fields.push(keyField);
      }
      let name = base;
      while (target.fields.some((t) => t.name === name)) name = `${name}Ref`;
      const name_ = relationName(target.name, name);
      target.fields.push({
        ...keyField,
        name,
        typeName: model.name,
        kind: 'object',
        isRequired: false,
        isUnique: false,
        relation: { fromFields: [key], relationName: name_ },
        annotations: [],
        implicit: true,
      });
      field.relation.relationName = name_;
    }
  }
}

/** A String key field the SDL implies; located at the relation field that implies it. */
function impliedKey(name: string, isRequired: boolean, at: FieldFacts, owner?: ModelFacts): FieldFacts {
  const location = owner ? owner.location : at.location;
  return {
    name,
    typeName: 'String',
    kind: 'scalar',
    isList: false,
    isRequired,
    isId: false,
    isUnique: false,
    isUpdatedAt: false,
    default: null,
    dbName: null,
    relation: null,
    annotations: [],
    location,
    typeLocation: location,
    implicit: true,
  };
}

/** The server's change-sequence field (runtime/server/sequence.ts), as a Prisma schema declares it. */
const SEQUENCE_FIELD = 'syncSeq';

/**
 * SDL describes the API, not storage, so a synced type that does not declare
 * the server's change sequence gets it implied, as a Prisma model writes it
 * (`/// @sync.ignore` `syncSeq BigInt @default(0)`): server-only, never on the
 * device or the wire. The generated server then serves the type, and
 * `server/prisma/models.prisma` declares the column (README "Server").
 */
export function addImpliedSequence(model: ModelFacts): void {
  if (!model.annotations.some((a) => a.name === 'sync')) return;
  if (model.fields.some((f) => f.name === SEQUENCE_FIELD)) return;
  const at = model.location;
  model.fields.push({
    name: SEQUENCE_FIELD,
    typeName: 'BigInt',
    kind: 'scalar',
    isList: false,
    isRequired: true,
    isId: false,
    isUnique: false,
    isUpdatedAt: false,
    default: { kind: 'value', value: 0 },
    dbName: null,
    relation: null,
    annotations: [{ name: 'sync.ignore', positional: [], named: {}, location: at }],
    location: at,
    typeLocation: at,
    implicit: true,
  });
}

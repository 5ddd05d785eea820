import type { EntityMeta, SyncRegistry } from './meta';

/** The GraphQL documents of one entity's typed pair (docs/PROTOCOL.md "Typed operations"). */
export interface TypedOperations {
  pull: string;
  /** Null for `pullOnly` entities (the server has no `syncPush<Entity>`). */
  push: string | null;
}

const RESULT = `clientId id success errorCode errorMessage version updatedAt
    conflict { serverData clientData serverVersion resolutionSuggested conflictType }`;

/**
 * `syncPull<Entity>` / `syncPush<Entity>` documents built from the generated
 * registry: the registry lists exactly the fields of the typed `<Entity>`
 * record (every pulled field but `id`), so the selection is `id` and those.
 * Operation and type names are the entity name, as the server target names them.
 */
export function typedOperations(meta: EntityMeta): TypedOperations {
  const n = meta.name;
  const fields = ['id', ...meta.fields.map((f) => f.name)].join(' ');
  const pull = `query SyncPull${n}($cursor: String, $limit: Int) {
  syncPull${n}(cursor: $cursor, limit: $limit) { items { ${fields} } deletedIds lastSyncAt cursor hasMore versionHash }
}`;
  const push =
    meta.direction === 'pullOnly'
      ? null
      : `mutation SyncPush${n}($items: [${n}PushItem!]!) {
  syncPush${n}(items: $items) {
    ${RESULT}
  }
}`;
  return { pull, push };
}

/** Typed documents of every entity of a registry, by entity name. */
export function typedOperationsOf(registry: SyncRegistry): Map<string, TypedOperations> {
  return new Map(registry.entities.map((e) => [e.name, typedOperations(e)]));
}

import { RENAMABLE_BASE_FIELDS, type RenamableBaseField } from '../../protocol/index';
import type { EntityMeta } from './meta';

/** Local column and wire key of each renamable base field of one entity. */
export interface BaseNames {
  /** Local columns: `client_id`, `version`, `updated_at`, `deleted_at` unless renamed. */
  columns: Record<RenamableBaseField, string>;
  /** Wire keys of pulled records and conflict data: `clientId`, `version`, ... unless renamed. */
  keys: Record<RenamableBaseField, string>;
  /** Columns only the server sets (protocol/baseFields.ts `SERVER_SET_COLUMNS`), under this entity's names. */
  serverSet: ReadonlySet<string>;
}

const DEFAULT_COLUMNS: Record<RenamableBaseField, string> = {
  clientId: 'client_id',
  version: 'version',
  updatedAt: 'updated_at',
  deletedAt: 'deleted_at',
};
const cache = new WeakMap<EntityMeta, BaseNames>();

/**
 * Where an entity keeps its base fields. A schema may name them otherwise
 * (config `baseFields`, docs/PROTOCOL.md "Base-field names": `rowVersion`
 * plays `version`); the registry then carries `meta.base`, and the record's
 * column and wire key follow the schema name.
 */
export function baseNames(meta: EntityMeta): BaseNames {
  let names = cache.get(meta);
  if (!names) {
    const columns = { ...DEFAULT_COLUMNS };
    const keys = { clientId: 'clientId', version: 'version', updatedAt: 'updatedAt', deletedAt: 'deletedAt' } as Record<RenamableBaseField, string>;
    for (const role of RENAMABLE_BASE_FIELDS) {
      const name = meta.base?.[role];
      if (!name) continue;
      keys[role] = name;
      columns[role] = meta.fields.find((f) => f.name === name)?.column ?? name;
    }
    names = { columns, keys, serverSet: new Set(Object.values(columns)) };
    cache.set(meta, names);
  }
  return names;
}

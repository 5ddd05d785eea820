/**
 * The base fields every synced entity carries (`CrtBaseEntity`,
 * `schema/base-fields.prisma`, docs/PROTOCOL.md "Base fields"), in the canonical
 * column order.
 */
export interface BaseFieldSpec {
  name: string;
  /** An entity without it is refused at generate time. */
  required: boolean;
  /** Expected schema type; `enumOrString` accepts any enum or a String. */
  type: 'String' | 'Int' | 'DateTime' | 'enumOrString';
  /**
   * Assigned by the server, never taken from a push: `server` for values
   * the server owns (id, version, timestamps), `envelope` for `clientId`,
   * which travels in the push envelope rather than in `data`; null for
   * fields clients write.
   */
  setBy: 'server' | 'envelope' | null;
  /** Column of the local (WatermelonDB) table. */
  column: string;
  /** How to declare it in Prisma, for hints. */
  prisma: string;
}

export const BASE_FIELD_TABLE = [
  { name: 'id', required: true, type: 'String', setBy: 'server', column: 'id', prisma: 'id String @id @default(uuid())' },
  { name: 'clientId', required: true, type: 'String', setBy: 'envelope', column: 'client_id', prisma: 'clientId String? @unique' },
  { name: 'version', required: true, type: 'Int', setBy: 'server', column: 'version', prisma: 'version Int @default(1)' },
  { name: 'updatedAt', required: true, type: 'DateTime', setBy: 'server', column: 'updated_at', prisma: 'updatedAt DateTime? @updatedAt' },
  { name: 'deletedAt', required: true, type: 'DateTime', setBy: 'server', column: 'deleted_at', prisma: 'deletedAt DateTime?' },
  { name: 'status', required: false, type: 'enumOrString', setBy: null, column: 'status', prisma: 'status E_COMMON_STATUS?' },
  { name: 'spaceId', required: false, type: 'String', setBy: null, column: 'space_id', prisma: 'spaceId String?' },
  { name: 'rootSpaceId', required: false, type: 'String', setBy: null, column: 'root_space_id', prisma: 'rootSpaceId String?' },
  { name: 'createdAt', required: false, type: 'DateTime', setBy: null, column: 'created_at', prisma: 'createdAt DateTime? @default(now())' },
  { name: 'createdBy', required: false, type: 'String', setBy: null, column: 'created_by', prisma: 'createdBy String?' },
  { name: 'updatedBy', required: false, type: 'String', setBy: null, column: 'updated_by', prisma: 'updatedBy String?' },
  { name: 'tenantId', required: false, type: 'String', setBy: null, column: 'tenant_id', prisma: 'tenantId String?' },
  { name: 'projectId', required: false, type: 'String', setBy: null, column: 'project_id', prisma: 'projectId String?' },
  { name: 'refProjectId', required: false, type: 'String', setBy: null, column: 'ref_project_id', prisma: 'refProjectId String?' },
] as const satisfies readonly BaseFieldSpec[];

/** Recognised base fields, in the canonical column order. */
export const BASE_FIELDS = BASE_FIELD_TABLE.map((f) => f.name);
export type BaseFieldName = (typeof BASE_FIELD_TABLE)[number]['name'];

/** Base fields every synced entity must declare. */
export const REQUIRED_BASE_FIELDS = BASE_FIELD_TABLE.filter((f) => f.required).map((f) => f.name);

/** The table row of a base field, or undefined for any other name. */
export function baseField(name: string): BaseFieldSpec | undefined {
  return (BASE_FIELD_TABLE as readonly BaseFieldSpec[]).find((f) => f.name === name);
}

/** Base fields the server owns (id, version, updatedAt, deletedAt): pulled, never pushed. */
export const SERVER_MANAGED_FIELDS: ReadonlySet<string> = new Set(BASE_FIELD_TABLE.filter((f) => f.setBy === 'server').map((f) => f.name));

/**
 * Base fields a push never sets through `data`: the server-managed ones and
 * `clientId` (sent in the envelope). A value a client sends is dropped.
 */
export const SERVER_SET_FIELDS: ReadonlySet<string> = new Set(BASE_FIELD_TABLE.filter((f) => f.setBy !== null).map((f) => f.name));

/**
 * Local columns the server's acknowledgement or pull decides (everything in
 * `SERVER_SET_FIELDS` but `id`: locally the record id is the device's own and
 * the server id lives in `server_id`).
 */
export const SERVER_SET_COLUMNS: ReadonlySet<string> = new Set(
  BASE_FIELD_TABLE.filter((f) => f.setBy !== null && f.name !== 'id').map((f) => f.column),
);

/** Columns WatermelonDB or trackhub-sync reserve on every local entity table. */
export const RESERVED_COLUMNS = ['id', '_status', '_changed', 'server_id'] as const;

/**
 * Base fields a schema may declare under another name (config `baseFields`,
 * docs/PROTOCOL.md "Base-field names"), the way Prisma's `@map` renames a
 * column: the role stays, the field, its local column and its wire key take
 * the schema's name.
 */
export const RENAMABLE_BASE_FIELDS = ['clientId', 'version', 'updatedAt', 'deletedAt'] as const;
export type RenamableBaseField = (typeof RENAMABLE_BASE_FIELDS)[number];

/** The schema names of the renamed base fields of one entity (roles absent here keep their own name). */
export type BaseFieldNames = Partial<Record<RenamableBaseField, string>>;

/**
 * The base-field role a schema field plays under `names`, or null for a user
 * field. A field named like a renamed role (`version` when `version` is
 * `rowVersion`) is a user field.
 */
export function baseRoleOf(name: string, names: BaseFieldNames | undefined): BaseFieldName | null {
  if (names) {
    for (const role of RENAMABLE_BASE_FIELDS) if (names[role] === name) return role;
    if ((RENAMABLE_BASE_FIELDS as readonly string[]).includes(name) && names[name as RenamableBaseField] !== undefined) return null;
  }
  return (BASE_FIELDS as readonly string[]).includes(name) ? (name as BaseFieldName) : null;
}

/** The schema name of a base-field role under `names`. */
export function baseFieldName(role: RenamableBaseField, names: BaseFieldNames | undefined): string {
  return names?.[role] ?? role;
}

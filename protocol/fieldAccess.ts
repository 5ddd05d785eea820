import { SERVER_SET_FIELDS } from './baseFields';

/**
 * What a client may do with a field in a push.
 * - `writable`: create and update.
 * - `createOnly`: set on create, never changed (a `@sync.readonly` relation key).
 * - `readonly`: pulled, never pushed (`@sync.readonly`).
 * - `server`: set by the server (`id`, `clientId` via the envelope, `version`, `updatedAt`, `deletedAt`, the scope field).
 * - `ignored`: never leaves the server (`@sync.ignore`).
 */
export const FIELD_ACCESS = ['writable', 'createOnly', 'readonly', 'server', 'ignored'] as const;
export type FieldAccess = (typeof FIELD_ACCESS)[number];

/** The facts about a field the access rule reads. */
export interface FieldAccessFacts {
  name: string;
  isId: boolean;
  /** `@updatedAt` or a server-managed base field. */
  serverManaged: boolean;
  /** `@sync.ignore`. */
  ignore: boolean;
  /** `@sync.readonly`. */
  readonly: boolean;
  /** The key of a belongsTo relation of its entity. */
  isRelationKey: boolean;
  /**
   * The base-field role the field plays (`baseRoleOf`), null for a user field;
   * absent: the field's name is its role (no renamed base fields).
   */
  baseRole?: string | null;
}

/**
 * The one access rule (docs/PROTOCOL.md "Push"): server validation and the
 * client's push modes are both generated from it. `@sync.ignore` never leaves
 * the server; id, clientId, version, updatedAt, deletedAt and the scope field
 * are the server's; `@sync.readonly` is pulled only, except a relation key,
 * which is set on create and then immutable.
 */
export function fieldAccess(field: FieldAccessFacts, scope: string): FieldAccess {
  if (field.ignore) return 'ignored';
  const role = field.baseRole === undefined ? field.name : field.baseRole;
  if (field.isId || field.serverManaged || (role !== null && SERVER_SET_FIELDS.has(role)) || field.name === scope) return 'server';
  if (field.readonly) return field.isRelationKey ? 'createOnly' : 'readonly';
  return 'writable';
}

/**
 * What a client sends for a field: `always` (writable), `create` (an
 * immutable relation key: sent on create only) or `never`.
 */
export const PUSH_MODES = ['always', 'create', 'never'] as const;
export type PushMode = (typeof PUSH_MODES)[number];

export function pushMode(access: FieldAccess): PushMode {
  return access === 'writable' ? 'always' : access === 'createOnly' ? 'create' : 'never';
}

/** Whether a field leaves the server in a pull. */
export function isPulled(access: FieldAccess): boolean {
  return access !== 'ignored';
}

/** The fields that leave the server in a pull: every field but `@sync.ignore` ones. */
export function pulledFields<F>(fields: readonly F[], accessOf: (field: F) => FieldAccess): F[] {
  return fields.filter((f) => isPulled(accessOf(f)));
}

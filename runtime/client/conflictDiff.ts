import type { ConflictEntry, Resolution } from './conflicts';
import { sameValue, type WireRecord } from './mapping';
import type { EntityMeta, FieldMeta } from './meta';
import { baseNames } from './baseColumns';

/** One field of a conflict as a diff view shows it: three values side by side, and who changed it. */
export interface ConflictFieldDiff {
  field: string;
  kind: FieldMeta['kind'];
  /** Wire values (null when absent). */
  local: unknown;
  server: unknown;
  /** The value both started from, when known (the queued change's base values). */
  base: unknown;
  /** Whether each side differs from the base (both true: changed on both sides). */
  localChanged: boolean;
  serverChanged: boolean;
  /** Strings for display: dates as ISO 8601, JSON stringified, null as '—'. */
  display: { local: string; server: string; base: string };
  /** Whether the user can pick this field's value (false: server-managed, shown for information). */
  editable: boolean;
}

/** What a "diff modal" needs for one stored conflict. */
export interface ConflictDiff {
  conflict: ConflictEntry;
  /** Fields whose local and server values differ, in schema order. */
  fields: ConflictFieldDiff[];
  /** The record was deleted on the server: only `useServer` applies (or keep-local recreates nothing). */
  deletedOnServer: boolean;
  /** The three resolutions, ready for `engine.resolveConflict(conflict.id, …)`. */
  resolutions: {
    keepLocal: Resolution;
    useServer: Resolution;
    /** Merge with a choice per field (`local` or `server`); fields not named take the server's value. */
    merge(choices: Record<string, 'local' | 'server'>): Resolution;
  };
}

/** Server-managed fields never shown as a difference (they always differ between the two sides), under the entity's names. */
function bookkeeping(meta: EntityMeta): Set<string> {
  return new Set(['id', ...Object.values(baseNames(meta).keys)]);
}

/**
 * The fields that differ between the local and server side of a stored
 * conflict, with base values when the queued change carried them (`base`,
 * e.g. `entry.base` from `listPending()`), display strings per value kind,
 * and the three resolutions. Headless: any UI draws it.
 */
export function conflictDiff(meta: EntityMeta, conflict: ConflictEntry, base: WireRecord | null = null): ConflictDiff {
  const local = conflict.localData;
  const server = conflict.serverData;
  const fields: ConflictFieldDiff[] = [];
  const skipped = bookkeeping(meta);
  for (const field of meta.fields) {
    if (skipped.has(field.name) || field.name === meta.scope) continue;
    const l = local[field.name] ?? null;
    const s = server ? (server[field.name] ?? null) : null;
    if (server && sameValue(l, s)) continue;
    if (!server && l === null) continue;
    const hasBase = base !== null && Object.hasOwn(base, field.name);
    const b = hasBase ? (base[field.name] ?? null) : null;
    fields.push({
      field: field.name,
      kind: field.kind,
      local: l,
      server: s,
      base: hasBase ? b : null,
      // Without a base, a differing value may have changed on either side: both count as changed.
      localChanged: hasBase ? !sameValue(l, b) : true,
      serverChanged: hasBase ? !sameValue(s, b) : true,
      display: { local: displayValue(field, l), server: displayValue(field, s), base: hasBase ? displayValue(field, b) : '' },
      editable: field.push === 'always',
    });
  }
  return {
    conflict,
    fields,
    deletedOnServer: server === null || server[baseNames(meta).keys.deletedAt] != null,
    resolutions: {
      keepLocal: { kind: 'keepLocal' },
      useServer: { kind: 'useServer' },
      merge(choices) {
        const data: WireRecord = {};
        for (const f of fields) if (f.editable && choices[f.field] === 'local') data[f.field] = f.local;
        return { kind: 'merge', data };
      },
    },
  };
}

/** A wire value as text for a side-by-side view. */
export function displayValue(field: Pick<FieldMeta, 'kind'>, value: unknown): string {
  if (value === null || value === undefined) return '—';
  switch (field.kind) {
    case 'date':
      return new Date(value as string).toISOString();
    case 'json':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
    case 'string':
      return String(value);
    default: {
      const unreachable: never = field.kind;
      return String(unreachable);
    }
  }
}

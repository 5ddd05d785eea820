import { MERGE_RULE_TABLE, type MergeOutcome } from '../../../protocol/index';
import type { ConflictType, SyncFieldDescriptor, SyncStrategy, WireRecord } from '../types';
import { wireEqual } from '../wire';

/** What to do with an update whose base version may be stale. */
export type Resolution =
  | { kind: 'apply'; values: WireRecord }
  | { kind: 'conflict'; conflictType: ConflictType; suggested: WireRecord; message: string }
  | { kind: 'invalid'; message: string };

export interface ResolveInput {
  strategy: SyncStrategy;
  fields: ReadonlyMap<string, SyncFieldDescriptor>;
  /** The record as the server holds it (wire form). */
  server: WireRecord;
  serverVersion: number;
  /** The server record's `updatedAt` (under the entity's name for it). */
  serverUpdatedAt: unknown;
  /** Changed fields sent by the client, their base values, the version and time the client edited. */
  changes: WireRecord;
  base: WireRecord | null;
  baseVersion: number;
  clientUpdatedAt: string;
}

/**
 * Conflict rules (docs/PROTOCOL.md "Conflicts"). A client whose base version is current applies
 * its changes as they are. Otherwise:
 * - `lastWriteWins`: the later `updatedAt` wins; equal times with different data conflict.
 * - `serverMerge`: three-way merge per field against the base values, by merge rule;
 *   a `manual` field both sides changed differently is a conflict.
 * - `manual`: any version mismatch is a conflict.
 */
export function resolveUpdate(input: ResolveInput): Resolution {
  const { server, changes } = input;
  if (input.baseVersion === input.serverVersion && !(input.strategy === 'serverMerge' && baseBehindServer(input))) {
    return { kind: 'apply', values: changes };
  }
  const overlay = { ...server, ...changes };
  switch (input.strategy) {
    case 'manual':
      return {
        kind: 'conflict',
        conflictType: 'VERSION_MISMATCH',
        suggested: overlay,
        message: `version ${input.baseVersion} is stale (server has ${input.serverVersion})`,
      };
    case 'lastWriteWins': {
      const clientTime = Date.parse(input.clientUpdatedAt);
      const serverTime = input.serverUpdatedAt ? Date.parse(String(input.serverUpdatedAt)) : 0;
      if (clientTime > serverTime) return { kind: 'apply', values: changes };
      if (clientTime < serverTime) {
        return { kind: 'conflict', conflictType: 'SERVER_NEWER', suggested: server, message: 'the server has a later write' };
      }
      const differs = Object.entries(changes).some(([k, v]) => !wireEqual(server[k], v));
      if (!differs) return { kind: 'apply', values: changes };
      return { kind: 'conflict', conflictType: 'EQUAL_TIMESTAMP', suggested: overlay, message: 'concurrent writes with the same updatedAt' };
    }
    case 'serverMerge':
      return mergeFields(input);
  }
}

/**
 * A current `baseVersion` whose base values are not the server's: the client's
 * record claims this version but its edit started from older values (e.g. a
 * pull moved the version on while the edit was queued). Applying it as it is
 * would drop what the server's version added (increments, appends), so it is
 * merged against its base like a stale version (docs/PROTOCOL.md "Conflicts").
 */
function baseBehindServer(input: ResolveInput): boolean {
  const { base, server } = input;
  if (base === null) return false;
  return Object.keys(input.changes).some((name) => Object.hasOwn(base, name) && !wireEqual(base[name] ?? null, server[name] ?? null));
}

/** Three-way merge per field by its rule (protocol/mergeRules.ts), exact for every type the rule fits. */
function mergeFields(input: ResolveInput): Resolution {
  const { server, changes, base } = input;
  const merged: WireRecord = {};
  const conflicting: string[] = [];
  const clientLater = Date.parse(input.clientUpdatedAt) >= (input.serverUpdatedAt ? Date.parse(String(input.serverUpdatedAt)) : 0);
  for (const [name, client] of Object.entries(changes)) {
    const field = input.fields.get(name)!;
    const s = server[name] ?? null;
    const b = base !== null && Object.hasOwn(base, name) ? (base[name] ?? null) : undefined;
    const rule = MERGE_RULE_TABLE[field.merge];
    const type = { scalar: field.type, isList: field.isList };
    if (b === undefined && rule.needsBase) return { kind: 'invalid', message: `'${name}' (${field.merge}) needs its base value to merge` };
    // The generator refuses a rule that does not fit; a hand-written descriptor could still pair them.
    if (!rule.fits(type))
      return { kind: 'invalid', message: `'${name}': merge rule ${field.merge} does not apply to ${field.type}${field.isList ? '[]' : ''}` };
    let outcome: MergeOutcome;
    try {
      outcome = rule.merge(s, b, client, type, { clientLater });
    } catch (error) {
      return { kind: 'invalid', message: `'${name}': ${(error as Error).message}` };
    }
    if (outcome.kind === 'value') merged[name] = outcome.value;
    else {
      merged[name] = s;
      conflicting.push(name);
    }
  }
  if (conflicting.length > 0) {
    return {
      kind: 'conflict',
      conflictType: 'FIELD_CONFLICT',
      suggested: { ...server, ...merged },
      message: `both sides changed ${conflicting.join(', ')}`,
    };
  }
  return { kind: 'apply', values: merged };
}

export { appendMerge, unionMerge } from '../../../protocol/index';

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
  /** Changed fields sent by the client, their base values, the version and time the client edited. */
  changes: WireRecord;
  base: WireRecord | null;
  baseVersion: number;
  clientUpdatedAt: string;
}

/**
 * Conflict rules of SPEC §5. A client whose base version is current applies
 * its changes as they are. Otherwise:
 * - `lastWriteWins`: the later `updatedAt` wins; equal times with different data conflict.
 * - `serverMerge`: three-way merge per field against the base values, by merge rule;
 *   a `manual` field both sides changed differently is a conflict.
 * - `manual`: any version mismatch is a conflict.
 */
export function resolveUpdate(input: ResolveInput): Resolution {
  const { server, changes } = input;
  if (input.baseVersion === input.serverVersion) return { kind: 'apply', values: changes };
  const overlay = { ...server, ...changes };
  switch (input.strategy) {
    case 'manual':
      return { kind: 'conflict', conflictType: 'VERSION_MISMATCH', suggested: overlay, message: `version ${input.baseVersion} is stale (server has ${input.serverVersion})` };
    case 'lastWriteWins': {
      const clientTime = Date.parse(input.clientUpdatedAt);
      const serverTime = server.updatedAt ? Date.parse(String(server.updatedAt)) : 0;
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

function mergeFields(input: ResolveInput): Resolution {
  const { server, changes, base } = input;
  const merged: WireRecord = {};
  const conflicting: string[] = [];
  const clientLater = Date.parse(input.clientUpdatedAt) >= (server.updatedAt ? Date.parse(String(server.updatedAt)) : 0);
  for (const [name, client] of Object.entries(changes)) {
    const field = input.fields.get(name)!;
    const s = server[name] ?? null;
    const hasBase = base !== null && Object.hasOwn(base, name);
    const b = hasBase ? (base[name] ?? null) : undefined;
    const rule = field.merge;
    if (b === undefined && (rule === 'counter' || rule === 'append' || rule === 'union' || rule === 'manual')) {
      return { kind: 'invalid', message: `'${name}' (${rule}) needs its base value to merge` };
    }
    switch (rule) {
      case 'lww':
        merged[name] = b !== undefined && wireEqual(s, b) ? client : clientLater ? client : s;
        break;
      case 'counter':
        merged[name] = Number(s ?? 0) + (Number(client ?? 0) - Number(b ?? 0));
        break;
      case 'max':
        merged[name] = s === null ? client : client === null ? s : Math.max(Number(s), Number(client));
        break;
      case 'min':
        merged[name] = s === null ? client : client === null ? s : Math.min(Number(s), Number(client));
        break;
      case 'union':
        merged[name] = unionMerge(asList(s), asList(b), asList(client));
        break;
      case 'append':
        merged[name] = appendMerge(asList(s), asList(b), asList(client));
        break;
      case 'manual':
        if (wireEqual(s, b) || wireEqual(s, client)) merged[name] = client;
        else {
          merged[name] = s;
          conflicting.push(name);
        }
        break;
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

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

const includes = (list: readonly unknown[], v: unknown) => list.some((x) => wireEqual(x, v));

/** Set merge: the server's items, plus those the client added, minus those the client removed. */
export function unionMerge(server: unknown[], base: unknown[], client: unknown[]): unknown[] {
  const added = client.filter((v) => !includes(base, v));
  const removed = base.filter((v) => !includes(client, v));
  const out = server.filter((v) => !includes(removed, v));
  for (const v of added) if (!includes(out, v)) out.push(v);
  return out;
}

/** Append merge: the server's list followed by what the client appended after its base. */
export function appendMerge(server: unknown[], base: unknown[], client: unknown[]): unknown[] {
  const extendsBase = base.every((v, i) => wireEqual(client[i], v));
  const appended = extendsBase ? client.slice(base.length) : client.filter((v) => !includes(base, v));
  return [...server, ...appended];
}

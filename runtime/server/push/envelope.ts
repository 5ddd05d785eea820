import { z } from 'zod';
import { PUSH_OPERATIONS } from '../../../protocol/index';
import type { EntityRuntime } from '../core';
import type { PushItem, SyncAuth, SyncEntityDescriptor, SyncResultItem, WireRecord } from '../types';
import { failure } from './result';
import { fieldValueProblem, MAX_JSON_DEPTH, scanValue, stringProblem } from './values';

const envelopeSchema = z
  .object({
    opId: z.string().min(1).max(200),
    op: z.enum(PUSH_OPERATIONS),
    clientId: z.string().min(1).max(200).nullish(),
    id: z.string().min(1).max(200).nullish(),
    baseVersion: z.number().int().nonnegative().nullish(),
    updatedAt: z.iso.datetime({ offset: true }).nullish(),
    data: z.record(z.string(), z.unknown()).nullish(),
    base: z.record(z.string(), z.unknown()).nullish(),
  })
  .strict();

/** An item refused before it reached the database; `opId` is null when the item has no usable one (nothing to replay it by). */
export interface Refused {
  refused: SyncResultItem;
  opId: string | null;
}

/**
 * Check a push item's envelope (docs/PROTOCOL.md "Push") and its data
 * against what the columns store, the generated validators and the field
 * access rules. Returns the item, or its failure result; one bad item never
 * affects another, and nothing here throws on any JSON input.
 */
export function parseItem(entity: EntityRuntime, auth: SyncAuth, raw: unknown): PushItem | Refused {
  const rawObj = (typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? raw : {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' && stringProblem(v) === null ? v : null);
  const clientId = text(rawObj.clientId);
  const rawId = text(rawObj.id);
  const refuse = (message: string, opId: string | null = null): Refused => ({ refused: failure(clientId, rawId, 'VALIDATION', message), opId });
  for (const key of ['opId', 'clientId', 'id'] as const) {
    const value = rawObj[key];
    const problem = typeof value === 'string' ? stringProblem(value) : null;
    if (problem) return refuse(`${key}: ${problem}`);
  }
  const parsed = envelopeSchema.safeParse(stripNulls(rawObj));
  if (!parsed.success) return refuse(formatIssues(parsed.error.issues));
  const env = parsed.data;
  const item: PushItem = {
    opId: env.opId,
    op: env.op,
    clientId: env.clientId ?? null,
    id: env.id ?? null,
    baseVersion: env.baseVersion ?? null,
    updatedAt: env.updatedAt ?? null,
    data: env.data ?? {},
    base: env.base ?? null,
  };
  const fail = (code: 'VALIDATION' | 'FORBIDDEN', message: string): Refused => ({
    refused: failure(item.clientId, item.id, code, message),
    opId: item.opId,
  });
  if (!entity.validators) return fail('VALIDATION', `${entity.descriptor.name} is pull-only: it accepts no push`);
  switch (item.op) {
    case 'create':
      if (!item.clientId) return fail('VALIDATION', 'create needs a clientId (creates are idempotent by it)');
      break;
    case 'update':
      if (!item.id && !item.clientId) return fail('VALIDATION', 'update needs the record id');
      if (item.baseVersion === null) return fail('VALIDATION', 'update needs baseVersion');
      if (!item.updatedAt) return fail('VALIDATION', 'update needs updatedAt (the client edit time)');
      break;
    case 'delete':
      if (!item.id && !item.clientId) return fail('VALIDATION', 'delete needs the record id');
      return item;
  }

  if (item.base) {
    // Only compared and merged, never stored; the same limits keep that work bounded.
    const problem = scanValue(item.base, 'base', MAX_JSON_DEPTH + 1);
    if (problem) return fail('VALIDATION', problem);
  }
  const d = entity.descriptor;
  const data: WireRecord = {};
  for (const [key, value] of Object.entries(item.data)) {
    const field = entity.fields.get(key);
    if (!field) return fail('VALIDATION', `unknown field '${stringProblem(key) ? '(unprintable name)' : key.slice(0, 100)}'`);
    const problem = fieldValueProblem(field, value);
    if (problem) return fail('VALIDATION', problem);
    if (key === d.scope) {
      if (value !== null && value !== auth.tenantId) return fail('FORBIDDEN', `${key} names another tenant`);
      continue;
    }
    switch (field.access) {
      case 'ignored':
        return fail('VALIDATION', `'${key}' is server-only (@sync.ignore) and cannot be pushed`);
      case 'readonly':
        return fail('VALIDATION', `'${key}' is read-only (@sync.readonly) and cannot be pushed`);
      case 'server':
        if (key === d.base.clientId && value !== null && value !== item.clientId) return fail('VALIDATION', `data.${key} differs from clientId`);
        if (!serverSet(d, key)) return fail('VALIDATION', `'${key}' is set by the server`);
        continue; // version, updatedAt, ...: dropped, the server sets them (a client value is only a base for conflict detection)
      case 'createOnly':
      case 'writable':
        data[key] = value;
    }
  }
  const validator = item.op === 'create' ? entity.validators.create : entity.validators.update;
  let checked: ReturnType<typeof validator.safeParse>;
  try {
    checked = validator.safeParse(data);
  } catch {
    // A validator must not throw; if one does, the item is still refused alone.
    return fail('VALIDATION', 'data: refused by the validator');
  }
  if (!checked.success) return fail('VALIDATION', formatIssues(checked.error.issues));
  item.data = data;
  return item;
}

/** GraphQL input objects carry explicit nulls for absent optional fields; the envelope treats them as absent. */
function stripNulls(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== null && v !== undefined) out[k] = v;
  return out;
}

function formatIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues.map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message)).join('; ');
}

/** A base field the server sets (protocol/baseFields.ts `SERVER_SET_FIELDS`: id and the renamable ones), under the entity's names: dropped from `data`. */
function serverSet(d: SyncEntityDescriptor, key: string): boolean {
  return key === 'id' || Object.values(d.base).includes(key);
}

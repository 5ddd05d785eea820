import { z } from 'zod';
import { PUSH_OPERATIONS } from '../../../protocol/index';
import type { EntityRuntime } from '../core';
import type { PushItem, SyncAuth, SyncEntityDescriptor, SyncResultItem, WireRecord } from '../types';
import { failure } from './result';
import { fieldValueProblem, MAX_JSON_DEPTH, scanValue, stringProblem } from './values';

/** The push envelope (docs/PROTOCOL.md "Push"); exported for tests. */
export const envelopeSchema = z
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
  let env = plainEnvelope(rawObj);
  if (!env) {
    // Anything the plain check does not accept gets zod's verdict and message.
    const parsed = envelopeSchema.safeParse(stripNulls(rawObj));
    if (!parsed.success) return refuse(formatIssues(parsed.error.issues));
    env = parsed.data;
  }
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

type Envelope = z.infer<typeof envelopeSchema>;

const ENVELOPE_KEYS = new Set(Object.keys(envelopeSchema.shape));
const OPERATIONS = new Set<unknown>(PUSH_OPERATIONS);
const updatedAtSchema = envelopeSchema.shape.updatedAt.unwrap().unwrap();

/**
 * The envelope of an ordinary item without zod's object machinery (≈ 4 µs an
 * item of 333-item batches): returns it only when `envelopeSchema` certainly
 * accepts it with the same values, else null (the caller asks zod, which
 * also words the refusal). Every test here is one `envelopeSchema` makes.
 */
export function plainEnvelope(raw: Record<string, unknown>): Envelope | null {
  for (const key in raw) {
    if (!Object.hasOwn(raw, key)) return null;
    if (raw[key] !== null && raw[key] !== undefined && !ENVELOPE_KEYS.has(key)) return null;
  }
  const { opId, op, clientId, id, baseVersion, updatedAt, data, base } = raw;
  if (!shortText(opId) || !OPERATIONS.has(op)) return null;
  if (!(clientId == null || shortText(clientId)) || !(id == null || shortText(id))) return null;
  if (!(baseVersion == null || (Number.isSafeInteger(baseVersion) && (baseVersion as number) >= 0))) return null;
  if (!(updatedAt == null || (typeof updatedAt === 'string' && updatedAtSchema.safeParse(updatedAt).success))) return null;
  if (!(data == null || plainRecord(data)) || !(base == null || plainRecord(base))) return null;
  return {
    opId: opId as string,
    op: op as Envelope['op'],
    clientId: clientId as string | null | undefined,
    id: id as string | null | undefined,
    baseVersion: baseVersion as number | null | undefined,
    updatedAt: updatedAt as string | null | undefined,
    data: data as Record<string, unknown> | null | undefined,
    base: base as Record<string, unknown> | null | undefined,
  };
}

/** `z.string().min(1).max(200)`. */
function shortText(value: unknown): boolean {
  return typeof value === 'string' && value.length >= 1 && value.length <= 200;
}

/** An object zod's `z.record(z.string(), z.unknown())` takes as is: plain, JSON-like keys (no `__proto__`, which its copy would drop). */
function plainRecord(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype) return false;
  return !Object.hasOwn(value, '__proto__') && Object.getOwnPropertySymbols(value).length === 0;
}

/** GraphQL input objects carry explicit nulls for absent optional fields; the envelope treats them as absent. */
export function stripNulls(obj: Record<string, unknown>): Record<string, unknown> {
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

import { pulledFields as pulledBy } from '../../protocol/index';
import type { SyncEntityDescriptor, SyncFieldDescriptor, WireRecord } from './types';

/**
 * Values between Prisma Client and the wire (docs/PROTOCOL.md "Values on the
 * wire"): DateTime as ISO 8601 UTC with milliseconds, BigInt and Decimal as
 * exact decimal strings, Bytes as base64, Json as is.
 */
export function valueToWire(field: SyncFieldDescriptor, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (field.isList && Array.isArray(value)) return value.map((v) => scalarToWire(field, v));
  return scalarToWire(field, value);
}

function scalarToWire(field: SyncFieldDescriptor, value: unknown): unknown {
  switch (field.type) {
    case 'DateTime':
      return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
    case 'BigInt':
      return String(value);
    case 'Decimal': {
      // Prisma's Decimal (decimal.js): toFixed() never uses exponent notation.
      const decimal = value as { toFixed?: () => string };
      return typeof decimal.toFixed === 'function' && typeof value === 'object' ? decimal.toFixed() : String(value);
    }
    case 'Bytes':
      return Buffer.from(value as Uint8Array).toString('base64');
    case 'Json':
      return typeof value === 'string' ? safeJson(value) : value;
    case 'String':
    case 'Boolean':
    case 'Int':
    case 'Float':
    case 'Enum':
      return value;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Fields that leave the server: everything but `@sync.ignore` fields (protocol/fieldAccess.ts). */
export function pulledFields(entity: SyncEntityDescriptor): SyncFieldDescriptor[] {
  return pulledBy(entity.fields, (f) => f.access);
}

/** A field's name and its value conversion (null: the value goes out as Prisma returns it). */
type Plan = readonly { name: string; convert: ((value: unknown) => unknown) | null }[];

const plans = new WeakMap<readonly SyncFieldDescriptor[], Plan>();

/** The conversion of one field, chosen once per field list instead of per value (a pull page converts ~20,000 values). */
function converterOf(field: SyncFieldDescriptor): ((value: unknown) => unknown) | null {
  switch (field.type) {
    case 'String':
    case 'Boolean':
    case 'Int':
    case 'Float':
    case 'Enum':
      if (!field.isList) return null;
      break;
    default:
      break;
  }
  return (value) => valueToWire(field, value);
}

/** A Prisma row as the canonical wire record; ignored fields are never copied. */
export function rowToWire(fields: readonly SyncFieldDescriptor[], row: Record<string, unknown>): WireRecord {
  let plan = plans.get(fields);
  if (!plan) {
    plan = fields.map((field) => ({ name: field.name, convert: converterOf(field) }));
    plans.set(fields, plan);
  }
  const out: WireRecord = {};
  for (const { name, convert } of plan) {
    const value = row[name];
    out[name] = value === null || value === undefined ? null : convert === null ? value : convert(value);
  }
  return out;
}

/** Prisma `select` of the pulled fields (plus any extra columns the caller needs). */
export function selectOf(fields: readonly SyncFieldDescriptor[], extra: readonly string[] = []): Record<string, true> {
  const select: Record<string, true> = {};
  for (const f of fields) select[f.name] = true;
  for (const name of extra) select[name] = true;
  return select;
}

export { wireEqual } from '../../protocol/index';

import type { EntityMeta, FieldMeta } from './meta';

/** A record in the server's JSON shape (docs/PROTOCOL.md "Values on the wire"). */
export type WireRecord = Record<string, unknown>;
/** A WatermelonDB raw record: column name -> string | number | boolean | null. */
export type RawColumns = Record<string, string | number | boolean | null>;

/** Local column value -> wire value. */
export function columnToWire(field: FieldMeta, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (field.kind) {
    case 'string':
    case 'number':
    case 'boolean':
      return value;
    case 'date':
      // Stored as ms since the epoch; the wire carries ISO 8601 UTC with milliseconds.
      return new Date(value as number).toISOString();
    case 'json':
      return typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
    default: {
      const unreachable: never = field.kind;
      throw new Error(`unmapped kind ${String(unreachable)}`);
    }
  }
}

/** Wire value -> local column value. */
export function wireToColumn(field: FieldMeta, value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  switch (field.kind) {
    case 'string':
      return String(value);
    case 'number':
      return typeof value === 'number' ? value : Number(value);
    case 'boolean':
      return Boolean(value);
    case 'date':
      return typeof value === 'number' ? value : Date.parse(String(value));
    case 'json':
      return JSON.stringify(value);
    default: {
      const unreachable: never = field.kind;
      throw new Error(`unmapped kind ${String(unreachable)}`);
    }
  }
}

/**
 * Application value (what adapters accept: `Date` for dates, objects for JSON)
 * -> local column value.
 */
export function inputToColumn(field: FieldMeta, value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (field.kind === 'date') return value instanceof Date ? value.getTime() : wireToColumn(field, value);
  if (field.kind === 'json') return JSON.stringify(value);
  return wireToColumn(field, value);
}

/** Local column value -> application value (`Date`, parsed JSON). */
export function columnToValue(field: FieldMeta, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (field.kind === 'date') return new Date(value as number);
  if (field.kind === 'json') return typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return value;
}

/** The whole local record in wire shape (`id` is the server id, foreign keys stay local). */
export function rawToWire(meta: EntityMeta, raw: RawColumns): WireRecord {
  const out: WireRecord = { id: raw.server_id ?? null };
  for (const field of meta.fields) out[field.name] = columnToWire(field, raw[field.column]);
  return out;
}

/** Columns of a wire record (fields absent from the record are left out). */
export function wireToRaw(meta: EntityMeta, record: WireRecord): RawColumns {
  const out: RawColumns = {};
  // Hot path of every pull (10,000 records per page set): plain loop, no closures.
  const fields = meta.fields;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    const value = record[field.name];
    if (value !== undefined) out[field.column] = wireToColumn(field, value);
  }
  return out;
}

/** Stable equality of two wire values (JSON-shaped). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

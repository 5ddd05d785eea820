/**
 * Sanitizers for WatermelonDB `@json` columns, imported by generated models.
 * A sanitizer receives whatever was parsed from the column and must return a
 * value of the property's type.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Any JSON value; a missing column reads as `null`. */
export function jsonValue(raw: unknown): JsonValue {
  return raw === undefined ? null : (raw as JsonValue);
}

/** A JSON array (scalar lists); anything else reads as an empty list. */
export function jsonArray<T = JsonValue>(raw: unknown): T[] {
  return Array.isArray(raw) ? (raw as T[]) : [];
}

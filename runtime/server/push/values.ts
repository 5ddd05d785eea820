import { realDateTime } from '../calendar';
import type { SyncFieldDescriptor } from '../types';

/**
 * Values both databases store unchanged (docs/PROTOCOL.md "Values the server
 * refuses"). Checked before the generated zod validators run, so a value the
 * database would refuse or silently change fails its own item as
 * `VALIDATION`, and no value can make a validator recurse out of stack.
 * Every walk here is iterative.
 */

/** Deepest nesting of a `Json` value (arrays and objects); deeper is `VALIDATION`. */
export const MAX_JSON_DEPTH = 64;

/** Years both SQLite (ISO text) and PostgreSQL (`timestamp(3)`, no year 0) store as written. */
const MIN_YEAR = 1;
const MAX_YEAR = 9999;

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };
const INT64 = { min: -(2n ** 63n), max: 2n ** 63n - 1n };
/** Prisma's default PostgreSQL `Decimal` column is `decimal(65,30)`: at most 35 integer and 30 fraction digits. */
const DECIMAL = { integer: 35, fraction: 30 };

/** Any UTF-16 surrogate (paired ones are fine: `stringProblem` tells them apart). */
const SURROGATE = /[\ud800-\udfff]/;

/** No lone surrogate: `String.prototype.isWellFormed` (Node 20+, ES2024), else no surrogate at all. */
const wellFormed: (text: string) => boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function'
    ? (text) => (text as unknown as { isWellFormed(): boolean }).isWellFormed()
    : (text) => !SURROGATE.test(text);

/**
 * Why a string cannot be stored as is: U+0000 (PostgreSQL `text` and `jsonb`
 * refuse it) or a lone UTF-16 surrogate (not Unicode: PostgreSQL refuses it,
 * SQLite replaces it with U+FFFD). Null when the string is fine.
 */
export function stringProblem(text: string): string | null {
  // Nearly every string has neither: native scans instead of a loop over its characters.
  if (text.indexOf('\u0000') === -1 && wellFormed(text)) return null;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return 'contains U+0000 (NUL), which the database cannot store';
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return 'contains a lone UTF-16 surrogate (not valid Unicode)';
    }
    if (c >= 0xdc00 && c <= 0xdfff) return 'contains a lone UTF-16 surrogate (not valid Unicode)';
  }
  return null;
}

/**
 * Walk any JSON-like value without recursion: nesting deeper than `maxDepth`,
 * a string or key `stringProblem` refuses, or a non-finite number (JSON has
 * none; `1e400` parses to Infinity and would be stored as null) is reported
 * with its path. Null when the value is fine.
 */
export function scanValue(value: unknown, path: string, maxDepth: number): string | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path, depth: 0 }];
  while (stack.length > 0) {
    const top = stack.pop()!;
    const v = top.value;
    if (typeof v === 'string') {
      const problem = stringProblem(v);
      if (problem) return `${top.path}: ${problem}`;
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) return `${top.path}: not a finite number`;
    } else if (v !== null && typeof v === 'object') {
      if (top.depth >= maxDepth) return `${top.path}: nested deeper than ${maxDepth} levels`;
      if (Array.isArray(v)) {
        for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: `${top.path}.${i}`, depth: top.depth + 1 });
      } else {
        for (const [key, inner] of Object.entries(v as Record<string, unknown>)) {
          const problem = stringProblem(key);
          if (problem) return `${top.path}: a key ${problem}`;
          stack.push({ value: inner, path: `${top.path}.${key}`, depth: top.depth + 1 });
        }
      }
    }
  }
  return null;
}

/**
 * Check one pushed field value against what its column stores. Values of
 * the wrong JSON type are left to the zod validator (it names the type).
 * Returns `field: why`, or null.
 */
export function fieldValueProblem(field: SyncFieldDescriptor, value: unknown): string | null {
  if (value === null) return null;
  // Scalars (nearly every value) are checked as `scanValue` checks them, without its walk.
  const scanned =
    typeof value === 'string'
      ? prefixed(field.name, stringProblem(value))
      : typeof value === 'number'
        ? Number.isFinite(value)
          ? null
          : `${field.name}: not a finite number`
        : typeof value === 'boolean'
          ? null
          : scanValue(value, field.name, MAX_JSON_DEPTH);
  if (scanned) return scanned;
  if (field.isList) {
    if (!Array.isArray(value)) return null;
    for (let i = 0; i < value.length; i++) {
      const problem = scalarProblem(field, value[i]);
      if (problem) return `${field.name}.${i}: ${problem}`;
    }
    return null;
  }
  const problem = scalarProblem(field, value);
  return problem ? `${field.name}: ${problem}` : null;
}

function prefixed(path: string, problem: string | null): string | null {
  return problem ? `${path}: ${problem}` : null;
}

/**
 * Check a value the server computed (a `serverMerge` result: `counter`,
 * `max`, `min` from client-sent base values) before it is written: the same
 * limits as a pushed value, and numbers that fit the column. Returns
 * `field: why`, or null.
 */
export function mergedValueProblem(field: SyncFieldDescriptor, value: unknown): string | null {
  const problem = fieldValueProblem(field, value);
  if (problem || value === null || field.isList) return problem;
  if (field.type === 'Int' && !Number.isInteger(value)) return `${field.name}: the merged value is not an integer (check the base values)`;
  if (field.type === 'Float' && typeof value !== 'number') return `${field.name}: the merged value is not a number (check the base values)`;
  return null;
}

function scalarProblem(field: SyncFieldDescriptor, value: unknown): string | null {
  switch (field.type) {
    case 'Int':
      return typeof value === 'number' && Number.isInteger(value) && (value < INT32.min || value > INT32.max)
        ? 'out of the 32-bit integer range'
        : null;
    case 'BigInt':
      if (typeof value !== 'string') return null;
      if (!/^-?\d{1,19}$/.test(value)) return 'not an integer string (decimal digits, e.g. "42")';
      return BigInt(value) < INT64.min || BigInt(value) > INT64.max ? 'out of the 64-bit integer range' : null;
    case 'Decimal': {
      if (typeof value !== 'string') return null;
      const match = /^-?(\d+)(?:\.(\d+))?$/.exec(value);
      if (!match) return 'not a decimal string (e.g. "12.50")';
      const integer = match[1]!.replace(/^0+(?=\d)/, '');
      if (integer.length > DECIMAL.integer || (match[2]?.length ?? 0) > DECIMAL.fraction) {
        return `more digits than the column stores (${DECIMAL.integer} before and ${DECIMAL.fraction} after the point)`;
      }
      return null;
    }
    case 'DateTime':
      return typeof value === 'string' ? dateTimeProblem(value) : null;
    case 'String':
    case 'Boolean':
    case 'Float':
    case 'Json':
    case 'Bytes':
    case 'Enum':
      return null;
  }
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO 8601 date-time that names a real instant within years 0001–9999 UTC, or why not. */
function dateTimeProblem(text: string): string | null {
  const m = ISO.exec(text);
  if (!m) return null; // not ISO at all: the validator reports it
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (!realDateTime(year, month, day, hour, minute, second)) return 'not a real date and time';
  // A UTC offset moves the instant by less than a day: years 0002–9998 stay within 0001–9999 whatever it is.
  if (year >= MIN_YEAR + 1 && year <= MAX_YEAR - 1 && plainOffset(m[8]!)) return null;
  const utcYear = new Date(Date.parse(text)).getUTCFullYear();
  if (Number.isNaN(utcYear) || utcYear < MIN_YEAR || utcYear > MAX_YEAR || year < MIN_YEAR) {
    return `outside the years ${String(MIN_YEAR).padStart(4, '0')}–${MAX_YEAR} (UTC) that both databases store`;
  }
  return null;
}

/** `Z` or an offset of at most 23:59, which `Date.parse` reads (a larger one makes it NaN: refused below). */
function plainOffset(offset: string): boolean {
  return offset === 'Z' || (Number(offset.slice(1, 3)) <= 23 && Number(offset.slice(4, 6)) <= 59);
}

import type { EntityRuntime } from './core';
import { realDateTime } from './calendar';
import { Params, pgType, quote } from './sql';
import type { PrismaLike, SqlDialect, SyncFieldDescriptor, WireRecord } from './types';
import { valueToWire } from './wire';

/**
 * The pull page read with raw SQL instead of `findMany` (docs/PERFORMANCE.md
 * "Server pull and push"): Prisma's `findMany` plans the query, maps every
 * value to a tagged object and decodes it again (≈ 30 % of a pull's CPU);
 * `$queryRawUnsafe` through the same client and driver adapter returns the
 * adapter's values, and each column type is converted straight to its wire
 * value here.
 *
 * The wire values must equal what the `findMany` path sends
 * (tests/server/rawPull.test.ts checks every type on SQLite and PostgreSQL),
 * so the conversions follow Prisma 7's own decoding of adapter values
 * (`@prisma/client-engine-runtime` data-mapper): DateTime text without a
 * zone is UTC, a `null` list is `[]`, enum values are mapped back from their
 * `@map` database names. A field type not listed here makes the whole
 * entity use `findMany` (decided once per entity and dialect).
 */

/** What the pull's `where` says, the same clause `findMany` receives in pull.ts. */
export interface RawPageQuery {
  tenantId: string;
  /** Rows whose sequence is above this. */
  after: bigint;
  /** A first pull: soft-deleted rows are left out. */
  liveOnly: boolean;
  /** Rows updated after this (`since` pulls). */
  since: Date | null;
  /** Rows to read (the page size plus one, to know `hasMore`). */
  take: number;
}

/** An entity's page read: its statement parts and one converter per pulled field, built once. */
export interface RawPullPlan {
  /** Reads one page: rows keyed by field name, sequence included, values as the adapter returns them. */
  read(prisma: PrismaLike, query: RawPageQuery): Promise<Record<string, unknown>[]>;
  /** One row of `read` as its wire record. */
  toWire(row: Record<string, unknown>): WireRecord;
}

type Convert = ((value: unknown) => unknown) | null;

const plans = new WeakMap<EntityRuntime, Map<SqlDialect, RawPullPlan | null>>();

/** The raw page plan of `entity` on `dialect`, or null when one of its pulled fields needs `findMany`. Decided once. */
export function rawPullPlan(entity: EntityRuntime, dialect: SqlDialect): RawPullPlan | null {
  let byDialect = plans.get(entity);
  if (!byDialect) {
    byDialect = new Map();
    plans.set(entity, byDialect);
  }
  if (!byDialect.has(dialect)) byDialect.set(dialect, buildPlan(entity, dialect));
  return byDialect.get(dialect) ?? null;
}

function buildPlan(entity: EntityRuntime, dialect: SqlDialect): RawPullPlan | null {
  const d = entity.descriptor;
  const scope = entity.fields.get(d.scope);
  const deletedAt = entity.fields.get(d.base.deletedAt);
  const updatedAt = entity.fields.get(d.base.updatedAt);
  // The tenant is bound as a string: another scope type takes Prisma's coercion.
  if (scope?.type !== 'String' || scope.isList || !deletedAt || !updatedAt || updatedAt.type !== 'DateTime') return null;
  if (!entity.pulled.every((f) => supported(f, dialect))) return null;

  const seq = entity.sequence;
  const columns = entity.pulled.map((f) => selectColumns(f, dialect));
  if (!entity.pulled.some((f) => f.name === seq.field)) columns.push(`${quote(seq.column)} AS ${quote(seq.field)}`);
  const select = `SELECT ${columns.join(', ')} FROM ${quote(d.table)} WHERE `;
  const converters = entity.pulled.map((f) => ({
    name: f.name,
    convert: converterOf(f, dialect),
    real: dialect === 'sqlite' && f.type === 'Json' ? realColumn(f) : undefined,
  }));

  return {
    read(prisma, query) {
      const p = new Params(dialect);
      let where = `${quote(scope.column)} = ${p.add(query.tenantId, pgType(scope))} AND ${quote(seq.column)} > ${p.add(query.after, 'bigint')}`;
      if (query.liveOnly) where += ` AND ${quote(deletedAt.column)} IS NULL`;
      if (query.since) where += ` AND ${quote(updatedAt.column)} > ${p.add(query.since, pgType(updatedAt))}`;
      const sql = `${select}${where} ORDER BY ${quote(seq.column)} ASC LIMIT ${p.add(query.take, dialect === 'postgresql' ? 'bigint' : undefined)}`;
      return prisma.$queryRawUnsafe<Record<string, unknown>[]>(sql, ...p.values);
    },
    toWire(row) {
      const out: WireRecord = {};
      for (const { name, convert, real } of converters) {
        const value = real !== undefined && row[name] === null ? row[real] : row[name];
        out[name] = convert === null ? (value ?? null) : convert(value);
      }
      return out;
    },
  };
}

/** PostgreSQL native types whose values the adapter returns as for the type's default column (generator/targets/server/nativeType.ts spellings). */
const PG_NATIVE: Partial<Record<SyncFieldDescriptor['type'], RegExp>> = {
  String: /^(text|uuid|citext|varchar(\(\d+\))?|char(\(\d+\))?)$/,
  Int: /^(integer|smallint)$/,
  BigInt: /^bigint$/,
  Float: /^(double precision|real)$/,
  Decimal: /^(decimal|numeric)(\(\d+(,\d+)?\))?$/,
  Boolean: /^boolean$/,
  DateTime: /^timestamp(tz)?(\(\d\))?$/,
  Json: /^jsonb?$/,
  Bytes: /^bytea$/,
};

function supported(field: SyncFieldDescriptor, dialect: SqlDialect): boolean {
  if (dialect === 'sqlite') return !field.isList;
  if (field.dbType !== undefined && !PG_NATIVE[field.type]?.test(field.dbType)) return false;
  // bytea[] comes back from the adapter in another shape than Prisma's list decoding expects.
  return !(field.isList && field.type === 'Bytes');
}

/**
 * The column as selected. SQLite: `DateTime` and `Json` cells are read as
 * text by an expression, so the adapter sees no declared type and converts
 * nothing: its raw-query decoding would read zone-less DateTime text as
 * local time, refuse a Json cell that SQLite's numeric affinity stored as a
 * number, and type an undeclared column by its first value. A number in a
 * DateTime cell (Prisma's `unixepoch-ms`) is written `n<integer ms>`
 * (truncated, as `new Date` truncates); a REAL in a Json cell comes in a
 * second column (`realColumn`) as the double itself, since SQLite's text of
 * a REAL may round it. PostgreSQL: enum lists as `text[]` (the driver does
 * not parse arrays of a custom type).
 */
function selectColumns(field: SyncFieldDescriptor, dialect: SqlDialect): string {
  const c = quote(field.column);
  const as = quote(field.name);
  if (dialect === 'sqlite' && field.type === 'DateTime') {
    return `CASE typeof(${c}) WHEN 'integer' THEN 'n' || ${c} WHEN 'real' THEN 'n' || CAST(${c} AS INTEGER) ELSE ${c} END AS ${as}`;
  }
  if (dialect === 'sqlite' && field.type === 'Json') {
    return `CASE typeof(${c}) WHEN 'real' THEN NULL ELSE CAST(${c} AS TEXT) END AS ${as}, CASE typeof(${c}) WHEN 'real' THEN ${c} END AS ${quote(realColumn(field))}`;
  }
  if (dialect === 'postgresql' && field.type === 'Enum' && field.isList) return `${c}::text[] AS ${as}`;
  if (pgWireTimestamp(field, dialect)) {
    return `CASE WHEN ${c} >= '0001-01-01' AND ${c} < '10000-01-01' THEN to_char(${c}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') ELSE 'x' || ${c}::text END AS ${as}`;
  }
  return `${c} AS ${as}`;
}

/**
 * A PostgreSQL `timestamp(3)` (Prisma's default DateTime column) formatted as
 * the wire's ISO string by the database for years 1-9999, where it equals
 * `toISOString()` of the instant: no `Date` per cell. Other years come as
 * `x<text>` and take the `Date` path (see pgTimestamp).
 */
function pgWireTimestamp(field: SyncFieldDescriptor, dialect: SqlDialect): boolean {
  return dialect === 'postgresql' && field.type === 'DateTime' && !field.isList && (field.dbType === undefined || field.dbType === 'timestamp(3)');
}

/** The alias of a SQLite Json field's REAL cells (a space never occurs in a schema name). */
function realColumn(field: SyncFieldDescriptor): string {
  return `${field.name} real`;
}

/** The conversion of one field from its raw-query value to its wire value; null: the value goes out as it is. */
function converterOf(field: SyncFieldDescriptor, dialect: SqlDialect): Convert {
  const scalar = scalarConverter(field, dialect);
  if (field.isList) {
    // Prisma returns a NULL list column as `[]`, and refuses a NULL element of any type but Json.
    const element = (v: unknown) => {
      if (v === null) {
        if (field.type === 'Json') return null;
        throw new Error(`trackhub-sync: ${field.name} holds a NULL list element, which Prisma refuses too`);
      }
      return scalar === null ? v : scalar(v);
    };
    return (value) => (value === null || value === undefined ? [] : (value as unknown[]).map(element));
  }
  if (scalar === null) return null;
  return (value) => (value === null || value === undefined ? null : scalar(value));
}

function scalarConverter(field: SyncFieldDescriptor, dialect: SqlDialect): ((value: unknown) => unknown) | null {
  const scalar: SyncFieldDescriptor = { ...field, isList: false };
  switch (field.type) {
    case 'String':
    case 'Int':
    case 'Float':
    case 'Boolean':
      return null;
    case 'Enum':
      return enumConverter(field);
    case 'DateTime':
      if (dialect === 'sqlite') return sqliteDateTime;
      return pgWireTimestamp(field, dialect) ? pgTimestamp : (value) => valueToWire(scalar, value);
    case 'Json':
      // SQLite: the stored text, or a REAL's double (see selectColumns); PostgreSQL: already parsed by the raw query.
      if (dialect === 'postgresql') return (value) => valueToWire(scalar, value);
      return (value) => valueToWire(scalar, typeof value === 'string' ? JSON.parse(value) : value);
    case 'BigInt':
    case 'Decimal':
    case 'Bytes':
      return (value) => valueToWire(scalar, value);
  }
}

/** Database enum values back to schema values; an unknown value is refused, as Prisma refuses it. */
function enumConverter(field: SyncFieldDescriptor): ((value: unknown) => unknown) | null {
  const mapped = field.enumValues;
  if (!mapped || Object.keys(mapped).length === 0) return null;
  const byDatabase = new Map<string, string>();
  for (const [wire, database] of Object.entries(mapped)) byDatabase.set(database, wire);
  return (value) => {
    const text = String(value);
    const wire = byDatabase.get(text);
    if (wire !== undefined) return wire;
    // Unmapped values are stored as their names; a name another value maps away from is not one.
    if (mapped[text] === undefined || mapped[text] === text) return text;
    throw new Error(`trackhub-sync: value '${text}' of ${field.name} is not a value of enum ${field.enumName ?? ''}`);
  };
}

/**
 * A SQLite `DateTime` cell as the wire's ISO string: `n` and milliseconds
 * (a number cell, Prisma's `unixepoch-ms` format, see selectColumns), or text read as Prisma 7 reads it
 * (`normalizeDateTime`: no zone means UTC, a space may separate date and
 * time, a date alone is midnight UTC).
 */
export function sqliteDateTime(value: unknown): string {
  const text = String(value);
  if (text.startsWith('n')) return new Date(Number(text.slice(1))).toISOString();
  // Prisma's own text (`2025-03-04T05:06:07.890+00:00`), when it names a real instant, is already
  // the wire string but for its zone: the same as a `Date` round trip, without one per cell.
  if (isCanonicalUtc(text)) return `${text.slice(0, 23)}Z`;
  return new Date(normalizeDateTime(text)).toISOString();
}

/** A `pgWireTimestamp` cell: the wire string, or `x` and PostgreSQL's text read as the pg adapter and Prisma read it. */
function pgTimestamp(value: unknown): string {
  const text = String(value);
  if (!text.startsWith('x')) return text;
  return new Date(normalizeDateTime(`${text.slice(1).replace(' ', 'T')}+00:00`)).toISOString();
}

/** Positions of the digits in `YYYY-MM-DDTHH:MM:SS.mmm+00:00`. */
const DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22];

/** `YYYY-MM-DDTHH:MM:SS.mmm+00:00` with every part in range (a day the month has; no hour 24, no leap second). Per cell: no closures. */
function isCanonicalUtc(text: string): boolean {
  if (text.length !== 29 || !text.endsWith('+00:00')) return false;
  for (const i of DIGITS) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  if (text[4] !== '-' || text[7] !== '-' || text[10] !== 'T' || text[13] !== ':' || text[16] !== ':' || text[19] !== '.') return false;
  return realDateTime(
    Number(text.slice(0, 4)),
    digitPair(text, 5),
    digitPair(text, 8),
    digitPair(text, 11),
    digitPair(text, 14),
    digitPair(text, 17),
  );
}

/** The two-digit number at `i` (both known to be digits). */
function digitPair(text: string, i: number): number {
  return (text.charCodeAt(i) - 48) * 10 + text.charCodeAt(i + 1) - 48;
}

const TIME_TZ = /\d{2}:\d{2}:\d{2}(?:\.\d+)?(Z|[+-]\d{2}(:?\d{2})?)?$/;

/** Prisma 7's `normalizeDateTime` (client-engine-runtime data-mapper), which `findMany` applies to DateTime text. */
function normalizeDateTime(text: string): string {
  const match = TIME_TZ.exec(text);
  if (match === null) return `${text}T00:00:00Z`;
  let withZone = text;
  const [time, zone, zoneMinutes] = match;
  if (zone !== undefined && zone !== 'Z' && zoneMinutes === undefined) withZone = `${text}:00`;
  else if (zone === undefined) withZone = `${text}Z`;
  if (time.length === text.length) return `1970-01-01T${withZone}`;
  const separator = match.index - 1;
  if (withZone[separator] === ' ') withZone = `${withZone.slice(0, separator)}T${withZone.slice(separator + 1)}`;
  return withZone;
}

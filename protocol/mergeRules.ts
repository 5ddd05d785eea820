import { bigintAddDelta, bigintCompare, decimalAddDelta, decimalCompare } from './exactNumbers';
import type { MergeRule, WireScalar } from './vocabulary';
import { wireEqual } from './wireEqual';

/** A field's type as the merge rules see it. */
export interface WireType {
  scalar: WireScalar;
  isList: boolean;
}

/** A merged value, or a field both sides changed that needs a person. */
export type MergeOutcome = { kind: 'value'; value: unknown } | { kind: 'conflict' };

export interface MergeContext {
  /** The client's edit is at least as recent as the server's `updatedAt` (lww tiebreak). */
  clientLater: boolean;
}

/**
 * One merge rule of a `serverMerge` entity (docs/PROTOCOL.md "Conflicts").
 * `merge` is called only for types the rule `fits`, and only with a base
 * value when the rule `needsBase`; it is exact for every type it fits.
 */
export interface MergeRuleSpec {
  fits(type: WireType): boolean;
  /** The types it fits, in words, for diagnostics. */
  fitsText: string;
  /** Needs the client's base value (what it saw before editing); without one the item is refused. */
  needsBase: boolean;
  /**
   * Three-way merge of one field: the server's current value, the client's
   * base value (`undefined`: not sent), the client's value. Values are in
   * wire form; the result is too.
   */
  merge(server: unknown, base: unknown, client: unknown, type: WireType, context: MergeContext): MergeOutcome;
}

const value = (v: unknown): MergeOutcome => ({ kind: 'value', value: v });
const scalarOf = (type: WireType) => (type.isList ? null : type.scalar);

const NUMBERS: readonly WireScalar[] = ['Int', 'Float', 'BigInt', 'Decimal'];
const ORDERED: readonly WireScalar[] = [...NUMBERS, 'DateTime', 'String'];

/** Sign of `a - b` for two non-null values of an ordered scalar. */
function compareOrdered(scalar: WireScalar, a: unknown, b: unknown): number {
  switch (scalar) {
    case 'Int':
    case 'Float':
      return Math.sign(Number(a) - Number(b));
    case 'BigInt':
      return bigintCompare(a, b);
    case 'Decimal':
      return decimalCompare(a, b);
    case 'DateTime': {
      // By instant: two spellings of one time (offsets, precision) compare equal.
      const x = Date.parse(String(a));
      const y = Date.parse(String(b));
      if (Number.isNaN(x) || Number.isNaN(y)) throw new TypeError(`not a DateTime: ${JSON.stringify(Number.isNaN(x) ? a : b)}`);
      return Math.sign(x - y);
    }
    case 'String':
      return compareCodePoints(String(a), String(b));
    default:
      throw new TypeError(`${scalar} is not ordered`);
  }
}

/** Lexicographic by Unicode code point: the order of UTF-8 bytes (a binary collation). */
function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return Math.sign(d);
  }
  return Math.sign(x.length - y.length);
}

function extreme(pick: 1 | -1): MergeRuleSpec['merge'] {
  return (server, _base, client, type) => {
    if (server === null || server === undefined) return value(client);
    if (client === null || client === undefined) return value(server);
    return value(compareOrdered(type.scalar, client, server) * pick > 0 ? client : server);
  };
}

function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
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

/** Every merge rule; `MergeRule` keys make a missing rule a compile error. */
export const MERGE_RULE_TABLE: Readonly<Record<MergeRule, MergeRuleSpec>> = {
  lww: {
    fits: () => true,
    fitsText: 'any type',
    needsBase: false,
    // The client's value when the server still holds the base; otherwise the later write.
    merge: (server, base, client, _type, { clientLater }) =>
      value(base !== undefined && wireEqual(server ?? null, base) ? client : clientLater ? client : server),
  },
  counter: {
    fits: (type) => NUMBERS.includes(scalarOf(type)!),
    fitsText: 'a number (Int, Float, BigInt, Decimal)',
    needsBase: true,
    // server + (client - base); BigInt and Decimal in exact string arithmetic.
    merge: (server, base, client, type) => {
      const [s, b, c] = [server ?? 0, base ?? 0, client ?? 0];
      switch (type.scalar) {
        case 'BigInt':
          return value(bigintAddDelta(s, c, b));
        case 'Decimal':
          return value(decimalAddDelta(s, c, b));
        default:
          return value(Number(s) + (Number(c) - Number(b)));
      }
    },
  },
  append: {
    fits: (type) => type.isList || type.scalar === 'Json',
    fitsText: 'a list or a Json array',
    needsBase: true,
    merge: (server, base, client) => value(appendMerge(asList(server), asList(base), asList(client))),
  },
  union: {
    fits: (type) => type.isList || type.scalar === 'Json',
    fitsText: 'a list or a Json array',
    needsBase: true,
    merge: (server, base, client) => value(unionMerge(asList(server), asList(base), asList(client))),
  },
  max: {
    fits: (type) => ORDERED.includes(scalarOf(type)!),
    fitsText: 'an ordered scalar (Int, Float, BigInt, Decimal, DateTime, String)',
    needsBase: false,
    merge: extreme(1),
  },
  min: {
    fits: (type) => ORDERED.includes(scalarOf(type)!),
    fitsText: 'an ordered scalar (Int, Float, BigInt, Decimal, DateTime, String)',
    needsBase: false,
    merge: extreme(-1),
  },
  manual: {
    fits: () => true,
    fitsText: 'any type',
    needsBase: true,
    // Taken when only one side changed; both changed differently is a conflict.
    merge: (server, base, client) => (wireEqual(server ?? null, base) || wireEqual(server ?? null, client) ? value(client) : { kind: 'conflict' }),
  },
};

/** Strategies that apply per-field merge rules; under the others every rule but `lww` has no effect. */
export const MERGING_STRATEGIES = ['serverMerge'] as const;

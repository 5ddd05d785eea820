import { describe, expect, it } from 'vitest';
import { MERGE_RULE_TABLE, type WireType } from './mergeRules';
import { MERGE_RULES, WIRE_SCALARS, type MergeRule, type WireScalar } from './vocabulary';

/** Server, base and client values of each wire scalar (wire form). */
const SAMPLES: Record<WireScalar, [unknown, unknown, unknown]> = {
  String: ['apple', 'Apple', 'banana'],
  Boolean: [true, null, false],
  Int: [10, 4, 7],
  BigInt: ['9007199254740993', '0', '2'],
  Float: [1.5, 0.25, 0.75],
  Decimal: ['0.1', '0', '0.2'],
  // The client's value is one hour later as an instant, though it sorts earlier as text.
  DateTime: ['2026-01-02T00:00:00.000Z', '2026-01-01T00:00:00.000Z', '2026-01-01T23:00:00.000-02:00'],
  Json: [{ a: 1 }, { a: 0 }, { b: 2 }],
  Bytes: ['AAE=', 'AAA=', 'AAI='],
  Enum: ['ACTIVE', 'INACTIVE', 'PUBLIC'],
};

/** Which (rule, type) pairs are accepted: the generator refuses the others. */
function expectedFit(rule: MergeRule, { scalar, isList }: WireType): boolean {
  switch (rule) {
    case 'lww':
    case 'manual':
      return true;
    case 'counter':
      return !isList && ['Int', 'Float', 'BigInt', 'Decimal'].includes(scalar);
    case 'append':
    case 'union':
      return isList || scalar === 'Json';
    case 'max':
    case 'min':
      return !isList && ['Int', 'Float', 'BigInt', 'Decimal', 'DateTime', 'String'].includes(scalar);
  }
}

/** The exact merge of SAMPLES (or list samples) per rule and type. */
function expectedMerge(rule: MergeRule, type: WireType, [s, , c]: [unknown, unknown, unknown]): unknown {
  switch (rule) {
    case 'lww':
      return s; // base differs from server and the server's write is later
    case 'manual':
      return 'conflict';
    case 'counter':
      return { Int: 13, Float: 2, BigInt: '9007199254740995', Decimal: '0.3' }[type.scalar as 'Int'];
    case 'max':
      return { Int: 10, Float: 1.5, BigInt: '9007199254740993', Decimal: '0.2', DateTime: c, String: 'banana' }[type.scalar as 'Int'];
    case 'min':
      return { Int: 7, Float: 0.75, BigInt: '2', Decimal: '0.1', DateTime: s, String: 'apple' }[type.scalar as 'Int'];
    case 'append':
    case 'union':
      return [...(s as unknown[]), (c as unknown[])[1]];
  }
}

describe('merge rule table: every (rule × wire type) pair', () => {
  for (const rule of MERGE_RULES) {
    for (const scalar of WIRE_SCALARS) {
      for (const isList of [false, true]) {
        const type: WireType = { scalar, isList };
        it(`${rule} × ${scalar}${isList ? '[]' : ''}`, () => {
          const spec = MERGE_RULE_TABLE[rule];
          expect(spec.fits(type)).toBe(expectedFit(rule, type));
          if (!spec.fits(type)) return;
          const [s, b, c] = SAMPLES[scalar];
          // Lists (and Json arrays under list rules): [base, server-added] vs [base, client-added].
          const asLists = isList || rule === 'append' || rule === 'union';
          const values: [unknown, unknown, unknown] = asLists ? [[b, s], [b], [b, c]] : [s, b, c];
          const outcome = spec.merge(values[0], values[1], values[2], type, { clientLater: false });
          const expected = expectedMerge(rule, type, values);
          if (expected === 'conflict') expect(outcome).toEqual({ kind: 'conflict' });
          else expect(outcome).toEqual({ kind: 'value', value: expected });
        });
      }
    }
  }
});

describe('merge rules: exact edge cases', () => {
  const merge = (rule: MergeRule, scalar: WireScalar, s: unknown, b: unknown, c: unknown, clientLater = false) =>
    MERGE_RULE_TABLE[rule].merge(s, b, c, { scalar, isList: false }, { clientLater });

  it('BigInt counter beyond 2^53 stays exact and a wire string', () => {
    expect(merge('counter', 'BigInt', '9007199254740993', '0', '2')).toEqual({ kind: 'value', value: '9007199254740995' });
    expect(merge('counter', 'BigInt', '-9223372036854775808', '5', '4')).toEqual({ kind: 'value', value: '-9223372036854775809' });
    expect(merge('counter', 'BigInt', null, null, '3')).toEqual({ kind: 'value', value: '3' });
  });

  it('Decimal counter in exact decimal arithmetic', () => {
    expect(merge('counter', 'Decimal', '12345678901234567890.123456789', '1.000000001', '1.000000002')).toEqual({
      kind: 'value',
      value: '12345678901234567890.12345679',
    });
    expect(merge('counter', 'Decimal', '1.50', '0.25', '0.75')).toEqual({ kind: 'value', value: '2' });
    expect(merge('counter', 'Decimal', '-0.5', '0', '0.5')).toEqual({ kind: 'value', value: '0' });
    expect(merge('counter', 'Decimal', '1e3', '0', '0.001')).toEqual({ kind: 'value', value: '1000.001' });
  });

  it('max/min compare BigInt and Decimal exactly, DateTime by instant, String by code point', () => {
    expect(merge('max', 'BigInt', '9007199254740993', null, '9007199254740992')).toEqual({ kind: 'value', value: '9007199254740993' });
    expect(merge('min', 'Decimal', '0.30000000000000000001', null, '0.3')).toEqual({ kind: 'value', value: '0.3' });
    expect(merge('max', 'DateTime', '2026-01-01T10:00:00.000+02:00', null, '2026-01-01T09:00:00.000Z')).toEqual({
      kind: 'value',
      value: '2026-01-01T09:00:00.000Z',
    });
    expect(merge('max', 'String', 'Zebra', null, 'apple')).toEqual({ kind: 'value', value: 'apple' });
    expect(merge('min', 'String', '\u{1F600}', null, '\uFFFF')).toEqual({ kind: 'value', value: '\uFFFF' });
    expect(merge('max', 'Int', null, null, 3)).toEqual({ kind: 'value', value: 3 });
    expect(merge('min', 'Int', 3, null, null)).toEqual({ kind: 'value', value: 3 });
  });

  it('refuses malformed numbers instead of computing NaN', () => {
    expect(() => merge('counter', 'Decimal', 'abc', '0', '1')).toThrow(/not a decimal/);
    expect(() => merge('max', 'DateTime', 'yesterday', null, '2026-01-01T00:00:00.000Z')).toThrow(/not a DateTime/);
    expect(() => merge('counter', 'BigInt', '1.5', '0', '1')).toThrow(/not an integer/);
  });

  it('lww takes the client when the server still holds the base, else the later write', () => {
    expect(merge('lww', 'String', 'a', 'a', 'b')).toEqual({ kind: 'value', value: 'b' });
    expect(merge('lww', 'String', 's', 'a', 'b', true)).toEqual({ kind: 'value', value: 'b' });
    expect(merge('lww', 'String', 's', undefined, 'b')).toEqual({ kind: 'value', value: 's' });
  });

  it('needsBase: the rules that read the base say so', () => {
    expect(MERGE_RULES.filter((r) => MERGE_RULE_TABLE[r].needsBase)).toEqual(['counter', 'append', 'union', 'manual']);
  });
});

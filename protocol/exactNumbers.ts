/**
 * Exact arithmetic on the wire forms of BigInt and Decimal (decimal strings,
 * docs/PROTOCOL.md "Values on the wire"). Floats would round: 2^53 + 1 is not
 * a double. A decimal is held as an integer mantissa and a scale.
 */

interface Fixed {
  mantissa: bigint;
  scale: number;
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

function parseDecimal(value: unknown): Fixed {
  const text = typeof value === 'number' || typeof value === 'bigint' ? String(value) : value;
  const m = typeof text === 'string' ? DECIMAL.exec(text.trim()) : null;
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new TypeError(`not a decimal number: ${JSON.stringify(value)}`);
  const [, sign, whole = '', fraction = '', exponent = '0'] = m;
  let mantissa = BigInt(`${whole}${fraction}` || '0');
  let scale = fraction.length - Number(exponent);
  if (scale < 0) {
    mantissa *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { mantissa: sign === '-' ? -mantissa : mantissa, scale };
}

function align(a: Fixed, b: Fixed): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.mantissa * 10n ** BigInt(scale - a.scale), b.mantissa * 10n ** BigInt(scale - b.scale), scale];
}

/** Plain notation without trailing fractional zeros (`12.50` -> `12.5`, `-0` -> `0`). */
function formatDecimal({ mantissa, scale }: Fixed): string {
  const negative = mantissa < 0n;
  const digits = (negative ? -mantissa : mantissa).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
  const text = fraction ? `${whole}.${fraction}` : whole;
  return negative && text !== '0' ? `-${text}` : text;
}

/** `a + b - c` of decimal strings, exactly. */
export function decimalAddDelta(a: unknown, b: unknown, c: unknown): string {
  const [x, y, scale1] = align(parseDecimal(a), parseDecimal(b));
  const [sum, z, scale] = align({ mantissa: x + y, scale: scale1 }, parseDecimal(c));
  return formatDecimal({ mantissa: sum - z, scale });
}

/** Sign of `a - b` for decimal strings. */
export function decimalCompare(a: unknown, b: unknown): number {
  const [x, y] = align(parseDecimal(a), parseDecimal(b));
  return x < y ? -1 : x > y ? 1 : 0;
}

function toBigInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) return BigInt(value.trim());
  throw new TypeError(`not an integer: ${JSON.stringify(value)}`);
}

/** `a + b - c` of BigInt wire strings, exactly; the result is a wire string. */
export function bigintAddDelta(a: unknown, b: unknown, c: unknown): string {
  return (toBigInt(a) + toBigInt(b) - toBigInt(c)).toString();
}

/** Sign of `a - b` for BigInt wire strings. */
export function bigintCompare(a: unknown, b: unknown): number {
  const x = toBigInt(a);
  const y = toBigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

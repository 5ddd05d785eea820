import type Protobuf from 'protobufjs';
import { lazyModule } from '../../lazyModule';

const protobufjs = lazyModule<typeof Protobuf>('protobufjs');

/** Numbers a previous `sync.proto` assigned, by message / enum name. */
export interface PreviousNumbers {
  messages: Map<string, NumberedScope>;
  enums: Map<string, NumberedScope>;
}

interface NumberedScope {
  /** Name -> number and the declaration without name (`optional string`), for type-change detection. */
  entries: Map<string, { number: number; signature: string }>;
  reservedNumbers: number[];
  reservedNames: string[];
}

/**
 * Read the numbers of the previously generated `sync.proto` (the file in the
 * output folder). Returns null when there is none; throws the parser's error
 * when it does not parse. Numbers are read from the package the file
 * declares, so they survive a change of `proto.package` (message names and
 * field numbers are the wire; the package is not).
 */
export function readPreviousNumbers(text: string | null): PreviousNumbers | null {
  if (text === null) return null;
  const protobuf = protobufjs();
  const parsed = protobuf.parse(text, new protobuf.Root(), { keepCase: true });
  const previous: PreviousNumbers = { messages: new Map(), enums: new Map() };
  const namespace = parsed.package ? parsed.root.lookup(parsed.package) : parsed.root;
  if (!(namespace instanceof protobuf.Namespace)) return previous;
  for (const nested of namespace.nestedArray) {
    if (nested instanceof protobuf.Type) {
      previous.messages.set(nested.name, {
        entries: new Map(nested.fieldsArray.map((f) => [f.name, { number: f.id, signature: fieldSignature(f) }])),
        ...reserved(nested.reserved),
      });
    } else if (nested instanceof protobuf.Enum) {
      previous.enums.set(nested.name, {
        entries: new Map(Object.entries(nested.values).map(([name, number]) => [name, { number, signature: '' }])),
        ...reserved(nested.reserved),
      });
    }
  }
  return previous;
}

/**
 * Assigns field and enum value numbers in `sync.proto` so that regenerating
 * never breaks the wire: a field keeps the number it had in the previous
 * file, a new field or a field whose type changed gets a number above every
 * number ever used, and a dropped field's number and name become `reserved`.
 * Without a previous file, numbers follow declaration order from 1.
 */
export class NumberBook {
  constructor(private readonly previous: PreviousNumbers | null) {}

  /** Body lines of a message: `reserved` statements, then `decl = N;` per field in the given order. */
  fieldLines(message: string, fields: readonly { decl: string; name: string }[]): string[] {
    const scope = this.previous?.messages.get(message);
    const numbered = assign(
      scope,
      fields.map((f) => ({ name: f.name, signature: f.decl.slice(0, f.decl.length - f.name.length).trim() })),
      1,
    );
    return [...reservedLines(numbered.reservedNumbers, numbered.reservedNames), ...fields.map((f, i) => `${f.decl} = ${numbered.numbers[i]};`)];
  }

  /** Body lines of an enum: `<PREFIX>UNSPECIFIED = 0;` (proto3 needs a zero value), then the values. */
  enumLines(name: string, prefix: string, values: readonly string[]): string[] {
    const scope = this.previous?.enums.get(name);
    const numbered = assign(
      scope,
      values.map((v) => ({ name: v, signature: '' })),
      1,
    );
    return [
      ...reservedLines(numbered.reservedNumbers, numbered.reservedNames),
      `${prefix}UNSPECIFIED = 0;`,
      ...values.map((v, i) => `${v} = ${numbered.numbers[i]};`),
    ];
  }
}

function assign(scope: NumberedScope | undefined, wanted: readonly { name: string; signature: string }[], first: number) {
  const reservedNumbers = new Set(scope?.reservedNumbers ?? []);
  const reservedNames = new Set(scope?.reservedNames ?? []);
  const kept = new Map<string, number>();
  for (const w of wanted) {
    const old = scope?.entries.get(w.name);
    if (old && old.signature === w.signature) kept.set(w.name, old.number);
  }
  // Every number the previous file used or reserved is off limits for new fields.
  let next = Math.max(first - 1, ...reservedNumbers, ...[...(scope?.entries.values() ?? [])].map((e) => e.number)) + 1;
  for (const [name, old] of scope?.entries ?? []) {
    if (kept.get(name) === old.number || old.number === 0) continue;
    reservedNumbers.add(old.number);
    // The name stays usable when it comes back with another type (under a new number).
    if (!wanted.some((w) => w.name === name)) reservedNames.add(name);
  }
  // A dropped field that comes back is a new field: its name is free again, its old number is not.
  for (const w of wanted) reservedNames.delete(w.name);
  const numbers = wanted.map((w) => kept.get(w.name) ?? next++);
  return { numbers, reservedNumbers: [...reservedNumbers].sort((a, b) => a - b), reservedNames: [...reservedNames].sort() };
}

function reservedLines(numbers: readonly number[], names: readonly string[]): string[] {
  const lines: string[] = [];
  if (numbers.length > 0) lines.push(`reserved ${ranges(numbers).join(', ')};`);
  if (names.length > 0) lines.push(`reserved ${names.map((n) => `"${n}"`).join(', ')};`);
  return lines;
}

/** Sorted numbers as `3`, `5 to 7` ranges. */
function ranges(numbers: readonly number[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < numbers.length; i++) {
    const start = numbers[i]!;
    while (i + 1 < numbers.length && numbers[i + 1] === numbers[i]! + 1) i++;
    out.push(start === numbers[i] ? `${start}` : `${start} to ${numbers[i]}`);
  }
  return out;
}

function reserved(list: (number[] | string)[] | undefined): Pick<NumberedScope, 'reservedNumbers' | 'reservedNames'> {
  const reservedNumbers: number[] = [];
  const reservedNames: string[] = [];
  for (const r of list ?? []) {
    if (typeof r === 'string') reservedNames.push(r);
    else {
      // sync.proto only ever reserves single retired numbers; a huge range means a hand edit.
      if (r[1]! - r[0]! > 10_000) throw new Error(`reserved range ${r[0]} to ${r[1]} is not one trackhub-sync writes`);
      for (let n = r[0]!; n <= r[1]!; n++) reservedNumbers.push(n);
    }
  }
  return { reservedNumbers, reservedNames };
}

function fieldSignature(field: Protobuf.Field): string {
  const label = field.repeated ? 'repeated ' : field.options?.['proto3_optional'] ? 'optional ' : '';
  return `${label}${field.type}`;
}

/**
 * The one printer of data in generated TypeScript: descriptors, registries,
 * defaults. Every value goes through `printLiteral`, so a string from a schema
 * (`@default("it's")`, a table name) can never end a literal early; nothing
 * is escaped by hand anywhere else.
 */

/** A reference to a generated or imported binding, printed as is; only dotted identifiers are accepted. */
export class CodeRef {
  constructor(readonly text: string) {
    if (!/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(text)) throw new Error(`internal: '${text}' is not an identifier reference`);
  }
}

/** A binding name (`SpaceEntity`), printed unquoted. */
export const ref = (name: string): CodeRef => new CodeRef(name);

export type Literal = string | number | boolean | null | CodeRef | readonly Literal[] | { readonly [key: string]: Literal | undefined };

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const MAY_NEED_ESCAPE = /[\\\p{Cc}\u2028\u2029]/u;

/** A string literal; quotes, backslashes, line breaks and control characters escaped. */
export function printString(text: string): string {
  // Prefer single quotes; double quotes when that avoids escaping (the way prettier prints).
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  // Most strings (names, types) need no escape and are printed as they are. \p{Cc} also holds
  // U+0080–U+009F, which the loop keeps as they are: such a string takes the loop, same result.
  if (!text.includes(quote) && !MAY_NEED_ESCAPE.test(text)) return `${quote}${text}${quote}`;
  let out = quote;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === quote) out += `\\${quote}`;
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}${quote}`;
}

function printKey(key: string): string {
  return IDENTIFIER.test(key) ? key : printString(key);
}

function printNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`internal: ${value} has no literal`);
  return Object.is(value, -0) ? '0' : String(value);
}

/**
 * Print a value as a TypeScript expression. Objects and arrays stay on one
 * line when it fits `width` at the given indentation, otherwise one entry per
 * line with trailing commas. `undefined` properties are left out.
 */
export function printLiteral(value: Literal, indent = 0, width = 120): string {
  if (value === null) return 'null';
  if (value instanceof CodeRef) return value.text;
  switch (typeof value) {
    case 'string':
      return printString(value);
    case 'number':
      return printNumber(value);
    case 'boolean':
      return String(value);
  }
  // The one-line form is built only when it fits: its length is known from the entries', and an
  // entry that broke over lines forces the multi-line form (registries of a large schema are
  // megabytes of literals, docs/PERFORMANCE.md "Generate").
  const pad = '  '.repeat(indent + 1);
  if (Array.isArray(value)) {
    const items = (value as readonly Literal[]).map((v) => printLiteral(v, indent + 1, width));
    if (fitsOnOneLine(items, 2, indent, width)) return `[${items.join(', ')}]`;
    return `[\n${items.map((i) => `${pad}${i},\n`).join('')}${'  '.repeat(indent)}]`;
  }
  const entries = Object.entries(value as Record<string, Literal | undefined>).filter((e): e is [string, Literal] => e[1] !== undefined);
  if (entries.length === 0) return '{}';
  const parts = entries.map(([k, v]) => `${printKey(k)}: ${printLiteral(v, indent + 1, width)}`);
  if (fitsOnOneLine(parts, 4, indent, width)) return `{ ${parts.join(', ')} }`;
  return `{\n${parts.map((p) => `${pad}${p},\n`).join('')}${'  '.repeat(indent)}}`;
}

/**
 * Whether `entries` joined by `, ` inside brackets (`brackets` characters) fit `width` at
 * `indent`; an empty list always does. Printed strings, numbers and references never hold a
 * line break, so an entry holds one only when it is a multi-line object or array.
 */
function fitsOnOneLine(entries: readonly string[], brackets: number, indent: number, width: number): boolean {
  if (entries.length === 0) return true;
  let length = indent * 2 + brackets + 2 * (entries.length - 1);
  for (const entry of entries) {
    length += entry.length;
    if (length > width || entry.includes('\n')) return false;
  }
  return true;
}

/** `export const name = <literal> satisfies Type;`: data checked against the runtime's type by tsc. */
export function printConst(name: string, value: Literal, satisfies?: string, doc?: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`internal: '${name}' is not an identifier`);
  const comment = doc ? `${printDocComment(doc)}\n` : '';
  return `${comment}export const ${name} = ${printLiteral(value)}${satisfies ? ` satisfies ${satisfies}` : ''};`;
}

/** A `/** … *\/` comment for any text: a `*\/` inside cannot close it early. */
export function printDocComment(text: string): string {
  const lines = text.replace(/\*\//g, '*\\/').split(/\r?\n/);
  return lines.length === 1 ? `/** ${lines[0]} */` : `/**\n${lines.map((l) => ` * ${l}`.trimEnd()).join('\n')}\n */`;
}

/** A template literal holding `text` verbatim (backslashes, backticks and `${` escaped), for embedded SDL. */
export function printTemplateLiteral(text: string): string {
  // A raw CR would be read back as LF (template literals normalise line terminators).
  return `\`${text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${').replace(/\r/g, '\\r')}\``;
}

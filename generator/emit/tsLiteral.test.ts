import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { Imports } from './imports';
import { parseCheck } from './parseCheck';
import { printConst, printDocComment, printLiteral, printString, printTemplateLiteral, ref } from './tsLiteral';

/** Evaluate a printed expression the way the generated file would (transpiled, then run). */
function evaluate(expression: string): unknown {
  const js = ts.transpileModule(`export default (${expression});`, { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText;
  const module = { exports: {} as { default?: unknown } };
  new Function('module', 'exports', js)(module, module.exports);
  return module.exports.default;
}

const HOSTILE = [
  "it's",
  'say "hi"',
  `both ' and "`,
  'back\\slash',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template placeholder is one of the hostile inputs.
  'back`tick` ${x}',
  '*/ end',
  'line\nbreak\r\n',
  '\u2028\u2029\u0000\u001b',
  'emoji 😀',
  '',
];

describe('printLiteral: the one serializer of generated data', () => {
  it('prints every hostile string as a literal that evaluates to the same string', () => {
    for (const text of HOSTILE) {
      expect(evaluate(printString(text)), JSON.stringify(text)).toBe(text);
      expect(evaluate(printTemplateLiteral(text)), JSON.stringify(text)).toBe(text);
    }
    expect(printString("it's")).toBe(`"it's"`);
    expect(printString('plain')).toBe(`'plain'`);
  });

  it('round-trips nested data and keeps short objects on one line', () => {
    const value = { name: 'x', 'odd-key': [1, -0, 2.5, true, null], nested: { default: { kind: 'value', value: "it's" } }, gone: undefined };
    const printed = printLiteral(value);
    expect(evaluate(printed)).toEqual({ name: 'x', 'odd-key': [1, 0, 2.5, true, null], nested: { default: { kind: 'value', value: "it's" } } });
    expect(printed).not.toContain('\n');
    const long = printLiteral({ fields: Array.from({ length: 8 }, (_, i) => ({ name: `field${i}`, type: 'String' })) });
    expect(long.split('\n').every((line) => line.length <= 120)).toBe(true);
  });

  it('refuses what has no literal instead of printing invalid code', () => {
    expect(() => printLiteral(Number.NaN)).toThrow();
    expect(() => ref('a-b')).toThrow();
    expect(() => printConst('not valid', 1)).toThrow();
  });

  it('prints doc comments that a */ in the text cannot close early', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a template placeholder is one of the hostile inputs.
    const file = `${printDocComment('a */ b\n`c` ${d}')}\nexport const x = 1;\n`;
    expect(parseCheck([{ path: 'x.ts', contents: file }])).toEqual([]);
  });
});

describe('Imports: one collector for every target', () => {
  it('deduplicates, sorts packages before relative paths, and uses import type when every name is a type', () => {
    const lines = new Imports()
      .add('./registry', 'spaceMeta')
      .addType('trackhub-sync/runtime/client', 'AdapterContext')
      .add('trackhub-sync/runtime/client', ['WritableSyncAdapter', 'WritableSyncAdapter'])
      .addType('../watermelon/models/Space', 'Space')
      .addType('./registry', 'spaceMeta')
      .add('./empty', [])
      .lines();
    expect(lines).toEqual([
      "import { type AdapterContext, WritableSyncAdapter } from 'trackhub-sync/runtime/client';",
      "import type { Space } from '../watermelon/models/Space.js';",
      "import { spaceMeta } from './registry.js';",
    ]);
  });

  it('prints relative specifiers with .js (Node ESM, NodeNext) and package subpaths as given', () => {
    const lines = new Imports()
      .add('@nozbe/watermelondb/decorators/index.js', 'field')
      .add('./models/system', 'systemModelClasses')
      .add('./already.js', 'x')
      .lines();
    expect(lines).toEqual([
      "import { field } from '@nozbe/watermelondb/decorators/index.js';",
      "import { x } from './already.js';",
      "import { systemModelClasses } from './models/system.js';",
    ]);
  });
});

describe('parseCheck', () => {
  it('reports a generated file that does not parse, at its line, as an internal error', () => {
    const [d] = parseCheck([{ path: 'server/entities.ts', contents: "export const a = 'it's';\n" }]);
    expect(d).toMatchObject({ code: 'TS900', severity: 'error', file: '(generated) server/entities.ts', line: 1 });
  });
});

import { describe, expect, it } from 'vitest';
import { parseAnnotations } from './parseAnnotations';

const at = { file: 's.prisma', line: 3, column: 4 };
const parse = (text: string) => parseAnnotations([{ text, location: at }]);

describe('parseAnnotations', () => {
  it('reads bare, positional and named annotations with their columns', () => {
    const { annotations, diagnostics } = parse(' @sync(strategy: serverMerge, table: "my \\"t\\"") then @sync.merge(counter) @sync.index');
    expect(diagnostics).toEqual([]);
    expect(annotations).toEqual([
      {
        name: 'sync',
        positional: [],
        named: {
          strategy: { value: 'serverMerge', location: { ...at, column: 21 } },
          table: { value: 'my "t"', location: { ...at, column: 41 } },
        },
        location: { ...at, column: 5 },
      },
      { name: 'sync.merge', positional: [{ value: 'counter', location: { ...at, column: 70 } }], named: {}, location: { ...at, column: 58 } },
      { name: 'sync.index', positional: [], named: {}, location: { ...at, column: 79 } },
    ]);
  });

  it('reads integer values (@sync.file(maxBytes: ...))', () => {
    const { annotations, diagnostics } = parse(' @sync.file(maxBytes: 10485760, accept: "image/*")');
    expect(diagnostics).toEqual([]);
    expect(annotations[0]).toMatchObject({ name: 'sync.file', named: { maxBytes: { value: '10485760' }, accept: { value: 'image/*' } } });
    expect(parse(' @sync.file(maxBytes: 10.5)').diagnostics).toHaveLength(1);
  });

  it('ignores prose and e-mail addresses, keeps the documentation around annotations', () => {
    expect(parse(' Contact ops@sync.example.com about this model.').annotations).toEqual([]);
    expect(parse(' Synced. @sync').annotations.map((a) => a.name)).toEqual(['sync']);
  });

  it('reports malformed arguments at the offending character and keeps the annotation', () => {
    for (const [text, message, column] of [
      [' @sync(strategy manual)', "unexpected 'm'", 20],
      [' @sync(strategy: )', "expected a value for 'strategy'", 21],
      [' @sync(strategy: manual', 'missing closing parenthesis', 27],
      [' @sync(a: x, a: y)', "'a' is given twice", 17],
    ] as const) {
      const { annotations, diagnostics } = parse(text);
      expect(diagnostics).toHaveLength(1);
      expect(diagnostics[0]).toMatchObject({ code: 'TS110', column, message: `malformed @sync annotation: ${message}` });
      expect(annotations.map((a) => a.name)).toEqual(['sync']);
    }
  });
});

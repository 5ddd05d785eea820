import { describe, expect, it } from 'vitest';
import { positionAt, scanProto } from './scanProto';

describe('scanProto', () => {
  const text = [
    'edition = "2023";',
    'package a.b; // message Fake {',
    'import "x.proto";',
    '/* message AlsoFake { } */',
    'message Outer {',
    '  option (o) = { s: "}{" nested: { k: 1 } };',
    '  string message = 1;',
    '  message Inner { int32 x = 1; }',
    '  oneof k { string y = 2; }',
    '}',
    'service S { rpc R(Outer) returns (Outer) { option deprecated = true; } }',
    '',
  ].join('\n');

  it('finds messages with nested paths, skipping comments, strings and other braces', () => {
    const scan = scanProto(text);
    expect(scan.syntax).toBe('editions');
    expect(scan.package).toBe('a.b');
    expect(scan.messages.map((m) => ({ path: m.path, open: positionAt(text, m.open), close: positionAt(text, m.close) }))).toEqual([
      { path: 'Outer', open: { line: 5, column: 15 }, close: { line: 10, column: 1 } },
      { path: 'Outer.Inner', open: { line: 8, column: 17 }, close: { line: 8, column: 32 } },
    ]);
  });

  it("records where fields (oneof members included) and reserved names are, not nested messages' fields", () => {
    const source = 'message M {\n  reserved "old";\n  int32 a = 1 [default = 4];\n  message N { int32 b = 1; }\n  oneof o { string c = 2; }\n}\n';
    const [m, n] = scanProto(source).messages;
    const at = (record: Record<string, number>) => Object.fromEntries(Object.entries(record).map(([k, v]) => [k, positionAt(source, v)]));
    expect(at(m!.fieldAt)).toEqual({ a: { line: 3, column: 9 }, c: { line: 5, column: 20 } });
    expect(at(m!.reservedNameAt)).toEqual({ old: { line: 2, column: 12 } });
    expect(Object.keys(n!.fieldAt)).toEqual(['b']);
  });

  it('places a new import after the last import line', () => {
    expect(scanProto(text).importAt).toEqual({ offset: text.indexOf('/* message AlsoFake'), afterImport: true });
  });

  it('defaults to proto2 when the file declares no syntax (the protobuf default)', () => {
    expect(scanProto('message A {}').syntax).toBe('proto2');
  });
});

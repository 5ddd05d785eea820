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

  it('places a new import after the last import line', () => {
    expect(scanProto(text).importAt).toEqual({ offset: text.indexOf('/* message AlsoFake'), afterImport: true });
  });

  it('defaults to proto2 when the file declares no syntax (the protobuf default)', () => {
    expect(scanProto('message A {}').syntax).toBe('proto2');
  });
});

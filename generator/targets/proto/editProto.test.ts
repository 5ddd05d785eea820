import { describe, expect, it } from 'vitest';
import { parseProto } from '../../readers/proto/parseProto';
import { editProto } from './editProto';
import { planFields } from './planFields';

/** Plan and apply the sync fields for the named messages of a file. */
function edit(text: string, names: string[]): string {
  const outcome = parseProto({ path: '/x/t.proto', shown: 't.proto', text });
  if (!outcome.ok) throw new Error(outcome.diagnostics[0]!.message);
  const file = outcome.facts;
  const edits = file.messages
    .filter((m) => names.includes(m.path))
    .map((message) => {
      const plan = planFields(message, file, 'int64');
      if (!plan.ok) throw new Error(plan.diagnostics[0]!.message);
      return { message, additions: plan.additions };
    });
  return editProto(file, edits);
}

describe('editProto', () => {
  it('inserts before the closing brace with the body indentation, ignoring braces in comments and strings', () => {
    const text = [
      'syntax = "proto3";',
      'package t.v1;',
      '// } not a brace',
      'message A {',
      '    string a = 1 [json_name = "x}"]; /* } */',
      '}',
      '',
    ].join('\n');
    expect(edit(text, ['A'])).toBe(
      [
        'syntax = "proto3";',
        'package t.v1;',
        '// } not a brace',
        'message A {',
        '    string a = 1 [json_name = "x}"]; /* } */',
        '',
        '    // Offline-first sync fields, added by trackhub-sync.',
        '    string client_id = 2;',
        '    int32 version = 3;',
        '    int64 updated_at = 4;',
        '    int64 deleted_at = 5;',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('edits nested messages and their parents independently, with tabs when the file uses tabs', () => {
    const text =
      'syntax = "proto3";\npackage t.v1;\nmessage Outer {\n\tmessage Inner {\n\t\tstring a = 1;\n\t}\n\tInner inner = 1;\n\tstring client_id = 2;\n\tint64 version = 3;\n\tint64 updated_at = 4;\n}\n';
    expect(edit(text, ['Outer', 'Outer.Inner'])).toBe(
      'syntax = "proto3";\npackage t.v1;\nmessage Outer {\n\tmessage Inner {\n\t\tstring a = 1;\n\n' +
        '\t\t// Offline-first sync fields, added by trackhub-sync.\n\t\tstring client_id = 2;\n\t\tint32 version = 3;\n\t\tint64 updated_at = 4;\n\t\tint64 deleted_at = 5;\n' +
        '\t}\n\tInner inner = 1;\n\tstring client_id = 2;\n\tint64 version = 3;\n\tint64 updated_at = 4;\n\n' +
        '\t// Offline-first sync fields, added by trackhub-sync.\n\tint64 deleted_at = 5;\n}\n',
    );
  });

  it('keeps CRLF line endings in CRLF files', () => {
    const text = 'syntax = "proto3";\r\nmessage A {\r\n  string a = 1;\r\n}\r\n';
    const edited = edit(text, ['A']);
    expect(edited.replace(/\r\n/g, '')).not.toContain('\n');
    expect(edited).toContain('  string a = 1;\r\n\r\n  // Offline-first sync fields, added by trackhub-sync.\r\n  string client_id = 2;\r\n');
    expect(edited.endsWith('int64 deleted_at = 5;\r\n}\r\n')).toBe(true);
  });

  it('opens an empty or one-line message onto lines', () => {
    expect(edit('syntax = "proto3";\nmessage E {}\n', ['E'])).toBe(
      'syntax = "proto3";\nmessage E {\n  // Offline-first sync fields, added by trackhub-sync.\n  string client_id = 1;\n  int32 version = 2;\n  int64 updated_at = 3;\n  int64 deleted_at = 4;\n}\n',
    );
  });

  it('labels added fields `optional` in proto2 files and leaves complete messages untouched', () => {
    const proto2 = edit('syntax = "proto2";\nmessage P {\n  optional string a = 1;\n}\n', ['P']);
    expect(proto2).toContain('  optional string client_id = 2;\n  optional int32 version = 3;');
    const complete =
      'syntax = "proto3";\nmessage C {\n  string client_id = 1;\n  int32 version = 2;\n  int64 updated_at = 3;\n  int64 deleted_at = 4;\n}\n';
    expect(edit(complete, ['C'])).toBe(complete);
  });
});

describe('editProto imports', () => {
  const timestampEdit = (text: string) => {
    const outcome = parseProto({ path: '/x/t.proto', shown: 't.proto', text });
    if (!outcome.ok) throw new Error(outcome.diagnostics[0]!.message);
    const file = outcome.facts;
    const plan = planFields(file.messages[0]!, file, 'google.protobuf.Timestamp');
    if (!plan.ok) throw new Error('plan failed');
    return editProto(file, [{ message: file.messages[0]!, additions: plan.additions }]);
  };

  it('adds the Timestamp import after the last import when the configured type needs it', () => {
    const edited = timestampEdit('syntax = "proto3";\npackage t.v1;\n\nimport "a.proto";\nimport "b.proto";\n\nmessage M {\n  string id = 1;\n}\n');
    expect(edited.split('\n').slice(0, 7)).toEqual([
      'syntax = "proto3";',
      'package t.v1;',
      '',
      'import "a.proto";',
      'import "b.proto";',
      'import "google/protobuf/timestamp.proto";',
      '',
    ]);
    expect(edited).toContain('  google.protobuf.Timestamp deleted_at = 5;\n}\n');
  });

  it('adds it after the package statement when the file has no imports', () => {
    const edited = timestampEdit('syntax = "proto3";\npackage t.v1;\n\nmessage M {\n  string id = 1;\n}\n');
    expect(edited.startsWith('syntax = "proto3";\npackage t.v1;\n\nimport "google/protobuf/timestamp.proto";\n\nmessage M {\n')).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { parseProto } from '../../readers/proto/parseProto';
import type { ProtoFileFacts } from '../../readers/proto/protoFacts';
import { planFields } from './planFields';

function facts(body: string, header = 'syntax = "proto3";\npackage t.v1;\n'): ProtoFileFacts {
  const outcome = parseProto({ path: '/x/t.proto', shown: 't.proto', text: `${header}message M {\n${body}\n}\n` });
  if (!outcome.ok) throw new Error(outcome.diagnostics[0]!.message);
  return outcome.facts;
}

function plan(body: string, header?: string) {
  const file = facts(body, header);
  return planFields(file.messages[0]!, file, 'int64');
}

describe('planFields', () => {
  it('numbers above fields, reserved ranges and extension ranges, never in gaps', () => {
    const result = plan('optional string a = 1; optional string b = 9; reserved 2 to 4, 12;', 'syntax = "proto2";\npackage t.v1;\n');
    expect(result).toEqual({
      ok: true,
      additions: [
        { name: 'client_id', type: 'string', number: 13 },
        { name: 'version', type: 'int32', number: 14 },
        { name: 'updated_at', type: 'int64', number: 15 },
        { name: 'deleted_at', type: 'int64', number: 16 },
      ],
    });
    const withExtensions = facts('optional string a = 1; extensions 100 to 199;', 'syntax = "proto2";\npackage t.v1;\n');
    const numbers = planFields(withExtensions.messages[0]!, withExtensions, 'int64');
    expect(numbers.ok && numbers.additions.map((a) => a.number)).toEqual([200, 201, 202, 203]);
  });

  it("names each field after the entity's field for the role (config baseFields); a field named like a renamed role is a user field", () => {
    const file = facts('string version = 1; optional string archived_at = 2;');
    const result = planFields(file.messages[0]!, file, 'int64', { version: 'rowVersion', deletedAt: 'archivedAt' });
    expect(result).toEqual({
      ok: true,
      additions: [
        { name: 'client_id', type: 'string', number: 3 },
        { name: 'row_version', type: 'int32', number: 4 },
        { name: 'updated_at', type: 'int64', number: 5 },
      ],
    });
  });

  it('skips 19000-19999, which protobuf reserves for itself', () => {
    const result = plan('string a = 18998;');
    expect(result.ok && result.additions.map((a) => a.number)).toEqual([18999, 20000, 20001, 20002]);
  });

  it('uses google.protobuf.Timestamp when the file imports it, else the configured type', () => {
    const result = plan('string a = 1;', 'syntax = "proto3";\npackage t.v1;\nimport "google/protobuf/timestamp.proto";\n');
    expect(result.ok && result.additions.map((a) => a.type)).toEqual(['string', 'int32', 'google.protobuf.Timestamp', 'google.protobuf.Timestamp']);
  });

  it('keeps fields that exist under the snake_case or JSON name, any integer type for version', () => {
    const result = plan('string clientId = 1; sfixed64 version = 2; string updated_at = 3;');
    expect(result).toEqual({ ok: true, additions: [{ name: 'deleted_at', type: 'int64', number: 4 }] });
    expect(plan('string client_id = 1; uint64 version = 2; int64 updated_at = 3; int64 deletedAt = 4;')).toEqual({ ok: true, additions: [] });
  });

  it('a field in a oneof or a map counts as in use', () => {
    const result = plan('oneof k { string a = 5; int32 b = 8; } map<string, int32> m = 6;');
    expect(result.ok && result.additions[0]!.number).toBe(9);
  });

  it('refuses a non-integer version, a reserved sync name and a full number space', () => {
    const wrongType = plan('map<string, int32> version = 1;');
    expect(!wrongType.ok && wrongType.diagnostics[0]!.message).toBe(
      "message t.v1.M: field 'version' has type map<string, int32>, but the sync version is an integer",
    );
    const reservedName = plan('string a = 1; reserved "deleted_at";');
    expect(!reservedName.ok && reservedName.diagnostics.map((d) => d.message)).toEqual([
      "message t.v1.M: the sync field name 'deleted_at' is reserved",
    ]);
    const full = plan('string a = 1; reserved 536870909 to max;');
    expect(!full.ok && full.diagnostics[0]!.message).toBe(
      "message t.v1.M: no field number left for 'client_id' above the highest number in use or reserved",
    );
  });
});

import type { SourceLocation } from '../../ir/types';

/**
 * What the proto reader found in one `.proto` file: facts from protobufjs
 * (numbers, reserved ranges, types) joined with byte offsets from the scan.
 * Targets decide what to add; nothing here knows about sync fields.
 */

export interface ProtoFieldFacts {
  name: string;
  number: number;
  /** Type as written (`int64`, `google.protobuf.Timestamp`, `Inner`); the value type for maps. */
  type: string;
  /** Key type for `map<K, V>` fields, else null. */
  mapKey: string | null;
  /** The `oneof` holding the field, else null (proto3 `optional` fields are not reported as oneofs). */
  oneof: string | null;
  /** Where the field's name is. */
  location: SourceLocation;
}

export interface ProtoMessageFacts {
  /** Package-qualified name without the leading dot (`acme.tasks.v1.Task`, `acme.tasks.v1.Task.Inner`). */
  fullName: string;
  /** Simple name (`Task`). */
  name: string;
  /** Enclosing messages and this one (`Task.Inner`). */
  path: string;
  fields: ProtoFieldFacts[];
  /** Inclusive number ranges from `reserved` statements (`to max` is 536870911). */
  reservedRanges: [number, number][];
  reservedNames: string[];
  /** Where each reserved name is written. */
  reservedNameLocations: Record<string, SourceLocation>;
  /** Inclusive ranges from `extensions` statements. */
  extensionRanges: [number, number][];
  /** Where the message's name is. */
  location: SourceLocation;
  /** Offsets of the opening `{` and the closing `}` in the file text. */
  open: number;
  close: number;
}

export interface ProtoFileFacts {
  /** Absolute path of the file. */
  path: string;
  /** Path relative to the config folder, POSIX separators: shown in diagnostics, used as the output path. */
  shown: string;
  text: string;
  syntax: 'proto2' | 'proto3' | 'editions';
  package: string;
  imports: string[];
  /** Where a new import statement goes (see `scanProto`). */
  importAt: { offset: number; afterImport: boolean };
  /** Every message, nested ones included, in source order. */
  messages: ProtoMessageFacts[];
}

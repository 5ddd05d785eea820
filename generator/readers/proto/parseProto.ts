import type Protobuf from 'protobufjs';
import { DiagnosticCode, diagnostic, type Diagnostic } from '../../diagnostics';
import type { SourceLocation } from '../../ir/types';
import type { ProtoFieldFacts, ProtoFileFacts, ProtoMessageFacts } from './protoFacts';
import { lineIndex } from '../lineIndex';
import { scanProto } from './scanProto';
import { lazyModule } from '../../lazyModule';

const protobufjs = lazyModule<typeof Protobuf>('protobufjs');

export interface ProtoSource {
  /** Absolute path. */
  path: string;
  /** Path relative to the config folder (POSIX). */
  shown: string;
  text: string;
}

export type ParseOutcome = { ok: true; facts: ProtoFileFacts } | { ok: false; diagnostics: Diagnostic[] };

/**
 * Parse one `.proto` file into facts. protobufjs is the parser of record
 * (field numbers, reserved ranges including `max`, oneofs, maps, imports);
 * `scanProto` adds the offsets of each message's braces.
 */
export function parseProto(source: ProtoSource): ParseOutcome {
  const protobuf = protobufjs();
  let parsed: Protobuf.IParserResult;
  try {
    // keepCase: field names as written (client_id), not camelCased.
    parsed = protobuf.parse(source.text, new protobuf.Root(), { keepCase: true, alternateCommentMode: true });
  } catch (error) {
    const message = (error as Error).message;
    const line = Number(/\(line (\d+)\)/.exec(message)?.[1] ?? 1);
    return {
      ok: false,
      diagnostics: [
        diagnostic(
          DiagnosticCode.proto,
          { file: source.shown, line, column: 1 },
          `proto syntax error: ${message.replace(/\s*\(line \d+\)$/, '')}`,
          'Fix the file so that `buf build` accepts it, then run trackhub-sync again.',
        ),
      ],
    };
  }
  const scan = scanProto(source.text);
  const prefix = scan.package ? `${scan.package}.` : '';
  const position = lineIndex(source.text);
  const messages: ProtoMessageFacts[] = [];
  for (const block of scan.messages) {
    const fullName = `${prefix}${block.path}`;
    const type = parsed.root.lookup(fullName);
    if (!(type instanceof protobuf.Type)) continue;
    const at = (offset: number | undefined) => ({ file: source.shown, ...position(offset ?? block.nameStart) });
    messages.push({
      fullName,
      name: type.name,
      path: block.path,
      fields: type.fieldsArray.map((field) => fieldFacts(field, at(block.fieldAt[field.name]))),
      reservedRanges: (type.reserved ?? []).filter((r): r is number[] => Array.isArray(r)).map(([a, b]) => [a!, b!]),
      reservedNames: (type.reserved ?? []).filter((r): r is string => typeof r === 'string'),
      reservedNameLocations: Object.fromEntries(Object.entries(block.reservedNameAt).map(([name, offset]) => [name, at(offset)])),
      extensionRanges: (type.extensions ?? []).map(([a, b]) => [a!, b!]),
      location: at(block.nameStart),
      open: block.open,
      close: block.close,
    });
  }
  return {
    ok: true,
    facts: {
      path: source.path,
      shown: source.shown,
      text: source.text,
      syntax: scan.syntax,
      package: scan.package,
      imports: [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])],
      importAt: scan.importAt,
      messages,
    },
  };
}

function fieldFacts(field: Protobuf.Field, location: SourceLocation): ProtoFieldFacts {
  // proto3 `optional` is a synthetic oneof named `_<field>`; it is not a user oneof.
  const oneof = field.partOf && !field.options?.['proto3_optional'] ? field.partOf.name : null;
  return {
    name: field.name,
    number: field.id,
    type: field.type,
    mapKey: field instanceof protobufjs().MapField ? field.keyType : null,
    oneof,
    location,
  };
}

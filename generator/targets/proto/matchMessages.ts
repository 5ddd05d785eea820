import { DiagnosticCode, diagnostic, nearest, type Diagnostic } from '../../diagnostics';
import type { IrEntity } from '../../ir/types';
import type { ProtoFileFacts, ProtoMessageFacts } from '../../readers/proto/protoFacts';

export interface MessageMatch {
  entity: IrEntity;
  file: ProtoFileFacts;
  message: ProtoMessageFacts;
}

export interface MatchResult {
  matches: MessageMatch[];
  diagnostics: Diagnostic[];
}

/**
 * Find the message of each synced entity: the top-level message of the same
 * name, or the one `proto.messages` maps it to. A mapped name with dots is
 * matched against the package-qualified name (`acme.tasks.v1.Task`) or the
 * nesting path (`Order.Item`), so nested messages are only ever chosen by
 * name on purpose. Missing, ambiguous and doubly claimed messages are errors
 * located at the entity.
 */
export function matchMessages(
  entities: readonly IrEntity[],
  files: readonly ProtoFileFacts[],
  mapping: Readonly<Record<string, string>>,
  configFile: string,
): MatchResult {
  const result: MatchResult = { matches: [], diagnostics: [] };
  const all = files.flatMap((file) => file.messages.map((message) => ({ file, message })));
  // The hint names a few files, not every file of a large proto tree.
  const fileList =
    files.length > 3
      ? `${files
          .slice(0, 3)
          .map((f) => f.shown)
          .join(', ')}, …`
      : files.map((f) => f.shown).join(', ');
  const claimed = new Map<string, string>();
  for (const name of Object.keys(mapping).sort()) {
    if (!entities.some((e) => e.name === name)) {
      result.diagnostics.push(
        diagnostic(
          DiagnosticCode.proto,
          { file: configFile, line: 1, column: 1 },
          `proto.messages maps '${name}', which is not a synced entity`,
          `Keys are entity names: ${entities.map((e) => e.name).join(', ') || '(none)'}.`,
        ),
      );
    }
  }
  for (const entity of entities) {
    const wanted = mapping[entity.name] ?? entity.name;
    const found = all.filter(({ message }) =>
      wanted.includes('.') ? message.fullName === wanted || message.path === wanted : message.path === wanted,
    );
    if (found.length === 0) {
      const near = nearest(
        wanted,
        all.map(({ message }) => message.path),
      );
      result.diagnostics.push(
        diagnostic(
          DiagnosticCode.proto,
          entity.location,
          `entity ${entity.name}: no message '${wanted}' in the proto files`,
          `${near ? `Did you mean '${near}'? ` : ''}Add \`message ${wanted} { ... }\` to one of ${fileList}, or name its message in the config: "proto": { "messages": { "${entity.name}": "OtherMessage" } }.`,
        ),
      );
    } else if (found.length > 1) {
      result.diagnostics.push(
        diagnostic(
          DiagnosticCode.proto,
          entity.location,
          `entity ${entity.name}: message '${wanted}' is ambiguous (${found.map(({ message }) => message.fullName).join(', ')})`,
          `Name the message with its package in the config: "proto": { "messages": { "${entity.name}": "${found[0]!.message.fullName}" } }.`,
        ),
      );
    } else {
      const { file, message } = found[0]!;
      const other = claimed.get(message.fullName);
      if (other) {
        result.diagnostics.push(
          diagnostic(
            DiagnosticCode.proto,
            entity.location,
            `entity ${entity.name}: message ${message.fullName} already belongs to entity ${other}`,
            'Each synced entity needs its own message; map one of them to another message with "proto.messages".',
          ),
        );
        continue;
      }
      claimed.set(message.fullName, entity.name);
      result.matches.push({ entity, file, message });
    }
  }
  return result;
}

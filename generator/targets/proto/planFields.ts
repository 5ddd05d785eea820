import { type BaseFieldNames, baseFieldName } from '../../../protocol/index';
import { DiagnosticCode, diagnostic, type Diagnostic } from '../../diagnostics';
import { snakeCase } from '../../ir/names';
import type { ProtoFileFacts, ProtoMessageFacts } from '../../readers/proto/protoFacts';

/** The offline-first roles every synced message carries (README "Proto"), in the order they are added. */
export const SYNC_FIELDS = ['clientId', 'version', 'updatedAt', 'deletedAt'] as const;
export type SyncFieldRole = (typeof SYNC_FIELDS)[number];

/** Highest field number protobuf allows (2^29 - 1); `reserved 10 to max` ends here. */
export const MAX_FIELD_NUMBER = 536_870_911;
/** Numbers the protobuf implementation reserves for itself (protobuf language guide). */
const IMPLEMENTATION_RESERVED: [number, number] = [19_000, 19_999];

const INTEGER_TYPES = new Set(['int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64', 'fixed32', 'fixed64', 'sfixed32', 'sfixed64']);
export const TIMESTAMP_IMPORT = 'google/protobuf/timestamp.proto';
export const TIMESTAMP_TYPE = 'google.protobuf.Timestamp';

export interface FieldAddition {
  /** snake_case name of the field playing the role (config `baseFields` renames it: `rowVersion` -> `row_version`). */
  name: string;
  type: string;
  number: number;
}

export type FieldPlan = { ok: true; additions: FieldAddition[] } | { ok: false; diagnostics: Diagnostic[] };

/**
 * Decide which sync fields a message lacks, their types and their numbers.
 *
 * A field counts as present under its snake_case name or its JSON (camelCase)
 * name: adding `client_id` next to `clientId` would clash in JSON. New numbers
 * start above the highest number in use, reserved or declared for extensions,
 * because a gap may be a retired field whose number must never be reused (README "Proto").
 * Each role goes by the entity's name for it (`baseFields`).
 */
export function planFields(message: ProtoMessageFacts, file: ProtoFileFacts, timestampType: string, names?: BaseFieldNames): FieldPlan {
  const diagnostics: Diagnostic[] = [];
  const missing: { role: SyncFieldRole; name: string }[] = [];
  for (const role of SYNC_FIELDS) {
    const name = snakeCase(baseFieldName(role, names));
    const existing = message.fields.find((f) => f.name === name || f.name === camel(name));
    if (!existing) {
      if (message.reservedNames.includes(name)) {
        diagnostics.push(
          diagnostic(
            DiagnosticCode.proto,
            message.reservedNameLocations[name] ?? message.location,
            `message ${message.fullName}: the sync field name '${name}' is reserved`,
            `A reserved name marks a retired field; remove "${name}" from the reserved names if it may be reused, or map the entity to another message with "proto.messages".`,
          ),
        );
      }
      missing.push({ role, name });
    } else if (role === 'version' && (existing.mapKey !== null || !INTEGER_TYPES.has(existing.type))) {
      diagnostics.push(
        diagnostic(
          DiagnosticCode.proto,
          existing.location,
          `message ${message.fullName}: field '${existing.name}' has type ${existing.mapKey ? `map<${existing.mapKey}, ${existing.type}>` : existing.type}, but the sync version is an integer`,
          'Change it to an integer type (int32, int64, ...) or rename it; trackhub-sync never changes an existing field.',
        ),
      );
    }
  }
  if (diagnostics.length > 0) return { ok: false, diagnostics };

  const timestamp = file.imports.includes(TIMESTAMP_IMPORT) ? TIMESTAMP_TYPE : timestampType;
  const types: Record<SyncFieldRole, string> = { clientId: 'string', version: 'int32', updatedAt: timestamp, deletedAt: timestamp };
  const additions: FieldAddition[] = [];
  let next = highestNumber(message) + 1;
  for (const { role, name } of missing) {
    if (next >= IMPLEMENTATION_RESERVED[0] && next <= IMPLEMENTATION_RESERVED[1]) next = IMPLEMENTATION_RESERVED[1] + 1;
    if (next > MAX_FIELD_NUMBER) {
      return {
        ok: false,
        diagnostics: [
          diagnostic(
            DiagnosticCode.proto,
            message.location,
            `message ${message.fullName}: no field number left for '${name}' above the highest number in use or reserved`,
            `Numbers are never reused below the highest one (gaps may be retired fields); narrow a "reserved ... to max" range so that ${missing.length} number(s) remain free above the fields.`,
          ),
        ],
      };
    }
    additions.push({ name, type: types[role], number: next });
    next++;
  }
  return { ok: true, additions };
}

/** Highest number taken by a field, a reserved range or an extension range (0 when none). */
export function highestNumber(message: ProtoMessageFacts): number {
  return Math.max(
    0,
    ...message.fields.map((f) => f.number),
    ...message.reservedRanges.map(([, to]) => to),
    ...message.extensionRanges.map(([, to]) => to),
  );
}

function camel(snake: string): string {
  return snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

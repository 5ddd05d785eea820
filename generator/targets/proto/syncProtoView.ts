import type { Ir, IrEntity } from '../../ir/types';
import { FIELD_MASK_IMPORT, STRUCT_IMPORT, TIMESTAMP_IMPORT, enumValuePrefix, protoEnumName, protoEnumValue, protoFieldName, protoType } from './typeMapping';
import type { NumberBook } from './numberBook';

/** One field as declared: `optional string name`, numbered by the book. */
interface FieldDecl {
  decl: string;
  name: string;
}

export interface MessageView {
  comments: string[];
  name: string;
  lines: string[];
}

export interface EnumView {
  comments: string[];
  name: string;
  lines: string[];
}

export interface SyncProtoView {
  package: string;
  imports: string[];
  rpcs: { comment: string; name: string; request: string; response: string }[];
  enums: EnumView[];
  messages: MessageView[];
}

const TS = 'google.protobuf.Timestamp';

/**
 * The view of `sync.proto`: the GraphQL sync API (SPEC §4, docs/PROTOCOL.md)
 * as a gRPC service. A generic pull/push pair carries records as
 * google.protobuf.Struct for dynamic clients; each entity gets a typed pair
 * whose items are one message per entity. Pull-only entities get no typed push.
 */
export function syncProtoView(ir: Ir, pkg: string, book: NumberBook): SyncProtoView {
  const imports = new Set<string>([TIMESTAMP_IMPORT, STRUCT_IMPORT]);
  const message = (name: string, comments: string[], fields: FieldDecl[]): MessageView => ({
    name,
    comments,
    lines: book.fieldLines(name, fields),
  });
  const f = (decl: string, name: string): FieldDecl => ({ decl: `${decl} ${name}`, name });

  const rpcs: SyncProtoView['rpcs'] = [
    { comment: 'One page of changes of any entity (GraphQL `syncPull`); items as JSON objects.', name: 'SyncPull', request: 'SyncPullRequest', response: 'SyncPullResponse' },
    { comment: 'A batch of local changes of any entity (GraphQL `syncPush`); one result per item, in order.', name: 'SyncPush', request: 'SyncPushRequest', response: 'SyncPushResponse' },
  ];
  const messages: MessageView[] = [
    message('SyncPullRequest', ['Pull request for any entity. Without a cursor, `since` (older clients) or nothing (a first pull).'], [
      f('string', 'entity'),
      f(TS, 'since'),
      f('optional string', 'cursor'),
      f('optional int32', 'limit'),
    ]),
    message('SyncPullResponse', ['One page of changes: canonical records (ignored fields removed) and tombstones.'], pullResponseFields('google.protobuf.Struct')),
    message('SyncPushRequest', ['A batch of local changes of one entity.'], [f('string', 'entity'), f('repeated SyncPushItem', 'items')]),
    message('SyncPushResponse', ['One result per pushed item, in order.'], [f('repeated SyncResultItem', 'results')]),
    message('SyncPushItem', ['One queued local change (docs/PROTOCOL.md "Push"); `data` and `base` as JSON objects.'], [
      ...pushItemFields(),
      f('google.protobuf.Struct', 'data'),
      f('google.protobuf.Struct', 'base'),
    ]),
    message('SyncResultItem', ['Outcome of one pushed item; `error_code` is VALIDATION, CONFLICT, FORBIDDEN, NOT_FOUND or INTERNAL.'], [
      f('optional string', 'client_id'),
      f('optional string', 'id'),
      f('bool', 'success'),
      f('optional string', 'error_code'),
      f('optional string', 'error_message'),
      f('optional int32', 'version'),
      f(TS, 'updated_at'),
      f('ConflictPayload', 'conflict'),
    ]),
    message('ConflictPayload', ['Both sides of a conflict and the server\'s suggested resolution.'], [
      f('google.protobuf.Struct', 'server_data'),
      f('google.protobuf.Struct', 'client_data'),
      f('optional int32', 'server_version'),
      f('google.protobuf.Value', 'resolution_suggested'),
    ]),
  ];

  for (const entity of ir.entities) {
    const pull = `SyncPull${entity.name}`;
    const push = `SyncPush${entity.name}`;
    rpcs.push({ comment: `Typed pull of ${entity.name} (GraphQL \`${lowerFirst(pull)}\`).`, name: pull, request: `${pull}Request`, response: `${pull}Response` });
    messages.push(
      message(`${pull}Request`, [], [f(TS, 'since'), f('optional string', 'cursor'), f('optional int32', 'limit')]),
      message(`${pull}Response`, [], pullResponseFields(entity.name)),
    );
    if (entity.direction === 'bidirectional') {
      imports.add(FIELD_MASK_IMPORT);
      rpcs.push({ comment: `Typed push of ${entity.name} (GraphQL \`${lowerFirst(push)}\`).`, name: push, request: `${push}Request`, response: `${push}Response` });
      messages.push(
        message(`${push}Request`, [], [f(`repeated ${entity.name}PushItem`, 'items')]),
        message(`${push}Response`, [], [f('repeated SyncResultItem', 'results')]),
        message(
          `${entity.name}PushItem`,
          [
            `One queued local change of ${entity.name}. For updates, \`data\` holds the changed fields and`,
            '`update_mask` names them (proto field names); a named field left unset in `data` is set to null.',
          ],
          [...pushItemFields(), f(entity.name, 'data'), f(entity.name, 'base'), f('google.protobuf.FieldMask', 'update_mask')],
        ),
      );
    }
    messages.push(message(entity.name, entityComments(entity), entityFields(entity).map(({ decl, name }) => ({ decl, name }))));
  }
  for (const entity of ir.entities) for (const field of entityFields(entity)) if (field.import) imports.add(field.import);

  const enums: EnumView[] = [
    {
      comments: ['What a pushed item does.'],
      name: 'SyncOperation',
      lines: book.enumLines('SyncOperation', 'SYNC_OPERATION_', ['SYNC_OPERATION_CREATE', 'SYNC_OPERATION_UPDATE', 'SYNC_OPERATION_DELETE']),
    },
    ...ir.enums.map((e): EnumView => {
      const name = protoEnumName(e.name);
      return {
        comments: name === e.name ? [] : [`The schema enum ${e.name}.`],
        name,
        lines: book.enumLines(name, enumValuePrefix(name), e.values.map((v) => protoEnumValue(name, v))),
      };
    }),
  ];
  return { package: pkg, imports: [...imports].sort(), rpcs, enums, messages };

  function pullResponseFields(itemType: string): FieldDecl[] {
    return [
      f(`repeated ${itemType}`, 'items'),
      f('repeated string', 'deleted_ids'),
      f(TS, 'last_sync_at'),
      f('string', 'cursor'),
      f('bool', 'has_more'),
      f('optional string', 'version_hash'),
    ];
  }
  function pushItemFields(): FieldDecl[] {
    return [
      f('string', 'op_id'),
      f('SyncOperation', 'op'),
      f('string', 'client_id'),
      f('optional string', 'id'),
      f('optional int32', 'base_version'),
      f(TS, 'updated_at'),
    ];
  }
}

function entityComments(entity: IrEntity): string[] {
  return [`${entity.name} as pulled: every field but those marked @sync.ignore (${entity.strategy}, ${entity.direction}).`];
}

/** Fields of an entity message: what a pull returns, in IR order (base fields first). */
function entityFields(entity: IrEntity): (FieldDecl & { import: string | null })[] {
  return entity.fields
    .filter((field) => !field.ignore)
    .map((field) => {
      const type = protoType(field);
      const label = field.isList ? 'repeated ' : !field.isRequired && !type.isMessage ? 'optional ' : '';
      const name = protoFieldName(field.name);
      return { decl: `${label}${type.type} ${name}`, name, import: type.import };
    });
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

import { lowerFirst } from '../../ir/names';
import type { Ir, IrEntity, IrField } from '../../ir/types';
import { isPushable, pulledFields, pushableFields } from '../server/fieldAccess';
import {
  FIELD_MASK_IMPORT,
  STRUCT_IMPORT,
  TIMESTAMP_IMPORT,
  enumValuePrefix,
  protoEnumName,
  protoEnumValue,
  protoFieldName,
  protoType,
} from './typeMapping';
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
 * The view of `sync.proto`: the GraphQL sync API (docs/PROTOCOL.md)
 * as a gRPC service. A generic pull/push pair carries records as
 * google.protobuf.Struct for dynamic clients; each entity gets a typed pair
 * whose items are one message per entity. Which fields are pulled and which
 * may be pushed comes from the server target (`targets/server/fieldAccess.ts`),
 * so both APIs accept the same data; entities without pushable fields
 * (pull-only) get no typed push, as in the GraphQL schema.
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
    {
      comment: 'One page of changes of any entity (GraphQL `syncPull`); items as JSON objects.',
      name: 'SyncPull',
      request: 'SyncPullRequest',
      response: 'SyncPullResponse',
    },
    {
      comment: 'A batch of local changes of any entity (GraphQL `syncPush`); one result per item, in order.',
      name: 'SyncPush',
      request: 'SyncPushRequest',
      response: 'SyncPushResponse',
    },
  ];
  const messages: MessageView[] = [
    message(
      'SyncPullRequest',
      ['Pull request for any entity. Without a cursor, `since` (older clients) or nothing (a first pull).'],
      [f('string', 'entity'), f(TS, 'since'), f('optional string', 'cursor'), f('optional int32', 'limit')],
    ),
    message(
      'SyncPullResponse',
      ['One page of changes: canonical records (ignored fields removed) and tombstones.'],
      pullResponseFields('google.protobuf.Struct'),
    ),
    message('SyncPushRequest', ['A batch of local changes of one entity.'], [f('string', 'entity'), f('repeated SyncPushItem', 'items')]),
    message('SyncPushResponse', ['One result per pushed item, in order.'], [f('repeated SyncResultItem', 'results')]),
    message(
      'SyncPushItem',
      ['One queued local change (docs/PROTOCOL.md "Push"); `data` and `base` as JSON objects.'],
      [...pushItemFields(), f('google.protobuf.Struct', 'data'), f('google.protobuf.Struct', 'base')],
    ),
    message(
      'SyncResultItem',
      ['Outcome of one pushed item; `error_code` is VALIDATION, CONFLICT, FORBIDDEN, NOT_FOUND or INTERNAL.'],
      [
        f('optional string', 'client_id'),
        f('optional string', 'id'),
        f('bool', 'success'),
        f('optional string', 'error_code'),
        f('optional string', 'error_message'),
        f('optional int32', 'version'),
        f(TS, 'updated_at'),
        f('ConflictPayload', 'conflict'),
      ],
    ),
    message(
      'ConflictPayload',
      ["Both sides of a conflict and the server's suggested resolution."],
      [
        f('google.protobuf.Struct', 'server_data'),
        f('google.protobuf.Struct', 'client_data'),
        f('optional int32', 'server_version'),
        f('google.protobuf.Value', 'resolution_suggested'),
        f('optional string', 'conflict_type'),
      ],
    ),
  ];

  for (const entity of ir.entities) {
    const pull = `SyncPull${entity.name}`;
    const push = `SyncPush${entity.name}`;
    rpcs.push({
      comment: `Typed pull of ${entity.name} (GraphQL \`${lowerFirst(pull)}\`).`,
      name: pull,
      request: `${pull}Request`,
      response: `${pull}Response`,
    });
    messages.push(
      message(`${pull}Request`, [], [f(TS, 'since'), f('optional string', 'cursor'), f('optional int32', 'limit')]),
      message(`${pull}Response`, [], pullResponseFields(entity.name)),
    );
    const data = pushableFields(entity);
    if (isPushable(entity) && data.length > 0) {
      imports.add(FIELD_MASK_IMPORT);
      rpcs.push({
        comment: `Typed push of ${entity.name} (GraphQL \`${lowerFirst(push)}\`).`,
        name: push,
        request: `${push}Request`,
        response: `${push}Response`,
      });
      messages.push(
        message(`${push}Request`, [], [f(`repeated ${entity.name}PushItem`, 'items')]),
        message(`${push}Response`, [], [f('repeated SyncResultItem', 'results')]),
        message(
          `${entity.name}PushItem`,
          [
            `One queued local change of ${entity.name}. For updates, \`data\` holds the changed fields and`,
            '`update_mask` names them (proto field names); a named field left unset in `data` is set to null.',
          ],
          [...pushItemFields(), f(`${entity.name}Data`, 'data'), f(`${entity.name}Data`, 'base'), f('google.protobuf.FieldMask', 'update_mask')],
        ),
        message(
          `${entity.name}Data`,
          [`The fields of ${entity.name} a client may push (GraphQL \`${entity.name}Data\`), each with presence.`],
          fieldDecls(data, true),
        ),
      );
    }
    messages.push(message(entity.name, entityComments(entity), fieldDecls(pulledFields(entity), false)));
  }
  for (const entity of ir.entities)
    for (const field of pulledFields(entity)) {
      const { import: needed } = protoType(field);
      if (needed) imports.add(needed);
    }

  const enums: EnumView[] = [
    {
      comments: ['What a pushed item does.'],
      name: 'SyncOp',
      lines: book.enumLines('SyncOp', 'SYNC_OP_', ['SYNC_OP_CREATE', 'SYNC_OP_UPDATE', 'SYNC_OP_DELETE']),
    },
    ...ir.enums.map((e): EnumView => {
      const name = protoEnumName(e.name);
      return {
        comments: name === e.name ? [] : [`The schema enum ${e.name}.`],
        name,
        lines: book.enumLines(
          name,
          enumValuePrefix(name),
          e.values.map((v) => protoEnumValue(name, v)),
        ),
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
      f('SyncOp', 'op'),
      f('optional string', 'client_id'),
      f('optional string', 'id'),
      f('optional int32', 'base_version'),
      f(TS, 'updated_at'),
    ];
  }
}

function entityComments(entity: IrEntity): string[] {
  return [`${entity.name} as pulled: every field but those marked @sync.ignore (${entity.strategy}, ${entity.direction}).`];
}

/**
 * Field declarations in IR order (base fields first). Nullable scalars and
 * enums get explicit presence; `partial` (push data) gives every scalar
 * presence, since an update carries only the changed fields.
 */
function fieldDecls(fields: readonly IrField[], partial: boolean): FieldDecl[] {
  return fields.map((field) => {
    const type = protoType(field);
    const label = field.isList ? 'repeated ' : (partial || !field.isRequired) && !type.isMessage ? 'optional ' : '';
    const name = protoFieldName(field.name);
    return { decl: `${label}${type.type} ${name}`, name };
  });
}

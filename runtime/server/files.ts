import type { EntityRuntime, SyncCore } from './core';
import { requestError } from './errors';
import { failure } from './push/result';
import { acceptsType } from './storage/accept';
import { isUuid } from './storage/keys';
import type { SyncStorage, SyncUploadTicketInput, SyncUploadTicketResponse } from './storage/types';
import type { PushItem, SyncAuth, SyncEntityDefinition, SyncFieldDescriptor, SyncResultItem } from './types';

/** Sizes travel as GraphQL `Int` (docs/PROTOCOL.md "Media"). */
const MAX_SIZE = 2 ** 31 - 1;

/** The file fields of a set of entity definitions, as `Entity.field`. */
export function fileFieldNames(entities: readonly SyncEntityDefinition[]): string[] {
  return entities.flatMap((e) => e.descriptor.fields.filter((f) => f.file && f.access !== 'ignored').map((f) => `${e.descriptor.name}.${f.name}`));
}

/** A server with file fields and no storage would accept keys it cannot check: refuse to start (docs/PROTOCOL.md "Media"). */
export function requireStorage(entities: readonly SyncEntityDefinition[], storage: SyncStorage | undefined): void {
  const fields = fileFieldNames(entities);
  if (fields.length > 0 && !storage) {
    throw new Error(
      `trackhub-sync: ${fields.join(', ')} ${fields.length === 1 ? 'is a file field' : 'are file fields'} (@sync.file) but no storage is configured. ` +
        'Pass `storage` to createResolvers / createSyncHandlers: tusStorage(...) from trackhub-sync/runtime/server/tus, ' +
        'presignedStorage(...) from trackhub-sync/runtime/server, or your own SyncStorage (README "Media").',
    );
  }
}

function storageOf(core: SyncCore): SyncStorage {
  const storage = core.options.storage;
  if (!storage) throw requestError('BAD_REQUEST', 'this server stores no files');
  return storage;
}

function fileField(core: SyncCore, entityName: string, fieldName: string): SyncFieldDescriptor {
  let entity: EntityRuntime;
  try {
    entity = core.entity(entityName);
  } catch {
    throw requestError('BAD_REQUEST', `unknown entity '${entityName}'`);
  }
  const field = entity.fields.get(fieldName);
  if (!field?.file) throw requestError('BAD_REQUEST', `${entityName}.${fieldName} is not a file field`);
  if (entity.descriptor.direction === 'pullOnly' || (field.access !== 'writable' && field.access !== 'createOnly')) {
    throw requestError('BAD_REQUEST', `${entityName}.${fieldName} is not written by clients`);
  }
  return field;
}

/**
 * `syncUploadTicket` (docs/PROTOCOL.md "Media"): checks the field, the size
 * against `maxBytes` and the media type against `accept`, then asks the
 * storage. The tenant comes from `auth`, never from the input.
 */
export async function uploadTicket(core: SyncCore, auth: SyncAuth, input: SyncUploadTicketInput): Promise<SyncUploadTicketResponse> {
  const storage = storageOf(core);
  const field = fileField(core, input.entity, input.field);
  const where = `${input.entity}.${input.field}`;
  if (!isUuid(input.uploadId)) throw requestError('BAD_REQUEST', `uploadId '${input.uploadId}' is not a UUID`);
  if (typeof input.recordId !== 'string' || input.recordId === '' || input.recordId.length > 200) {
    throw requestError('BAD_REQUEST', 'recordId must be 1 to 200 characters');
  }
  if (!Number.isInteger(input.size) || input.size < 0 || input.size > MAX_SIZE) {
    throw requestError('BAD_REQUEST', `size ${input.size} is not a size in bytes up to ${MAX_SIZE}`);
  }
  const maxBytes = field.file!.maxBytes;
  if (maxBytes !== undefined && input.size > maxBytes) {
    throw requestError('BAD_REQUEST', `${where}: ${input.size} bytes is over the limit of ${maxBytes}`, { maxBytes });
  }
  const contentType = input.contentType ?? undefined;
  const accept = field.file!.accept;
  if (accept && (contentType === undefined || !acceptsType(accept, contentType))) {
    throw requestError('BAD_REQUEST', `${where}: content type '${contentType ?? ''}' is not accepted (${accept.join(', ')})`, { accept });
  }
  const ticket = await storage.ticket(auth, {
    entity: input.entity,
    field: input.field,
    recordId: input.recordId,
    uploadId: input.uploadId.toLowerCase(),
    size: input.size,
    ...(contentType !== undefined ? { contentType } : {}),
  });
  return {
    key: ticket.key,
    method: ticket.method,
    url: ticket.url,
    headers: Object.entries(ticket.headers).map(([name, value]) => ({ name, value })),
    expiresAt: ticket.expiresAt ?? null,
  };
}

/** `syncFileUrl`: a read URL for a key the caller's tenant owns and whose object is complete. */
export async function fileUrl(core: SyncCore, auth: SyncAuth, key: string): Promise<{ url: string; expiresAt: string | null }> {
  const storage = storageOf(core);
  if (typeof key !== 'string' || !storage.owns(auth, key)) throw requestError('FORBIDDEN', 'this key was not issued to your tenant');
  if (!(await storage.exists(key))) throw requestError('BAD_REQUEST', `no object under key '${key}'`);
  const url = await storage.readUrl(auth, key);
  return { url: url.url, expiresAt: url.expiresAt ?? null };
}

/**
 * Push acceptance of file keys (docs/PROTOCOL.md "Media"): an item that sets
 * a file field to a key is refused unless the tenant owns the key
 * (`FORBIDDEN`) and the object exists complete (`VALIDATION`). Runs before
 * the push transaction (the storage may be remote); each key is asked once
 * per batch. Returns the refusal of each refused item, by item.
 */
export async function refuseFileKeys(
  core: SyncCore,
  auth: SyncAuth,
  entity: EntityRuntime,
  items: readonly PushItem[],
): Promise<Map<PushItem, SyncResultItem>> {
  const out = new Map<PushItem, SyncResultItem>();
  const fields = entity.descriptor.fields.filter((f) => f.file);
  const storage = core.options.storage;
  if (fields.length === 0 || !storage) return out;
  const checks: { item: PushItem; field: string; key: string; owned: boolean }[] = [];
  for (const item of items) {
    if (item.op === 'delete') continue;
    for (const f of fields) {
      const value = item.data[f.name];
      if (typeof value === 'string') checks.push({ item, field: f.name, key: value, owned: storage.owns(auth, value) });
    }
  }
  const keys = [...new Set(checks.filter((c) => c.owned).map((c) => c.key))];
  const found = new Map(await Promise.all(keys.map(async (key) => [key, await storage.exists(key)] as const)));
  for (const c of checks) {
    if (out.has(c.item)) continue;
    if (!c.owned) {
      out.set(c.item, failure(c.item.clientId, c.item.id, 'FORBIDDEN', `file '${c.field}': the key was not issued to your tenant`));
    } else if (!found.get(c.key)) {
      out.set(c.item, failure(c.item.clientId, c.item.id, 'VALIDATION', `file '${c.field}': no such object`));
    }
  }
  return out;
}

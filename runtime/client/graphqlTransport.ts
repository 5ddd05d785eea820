import type { SyncRegistry } from './meta';
import type { PullPage, PushItem, PushResult, SyncTransport, UploadTicketInput } from './transport';
import type { UploadTicket } from './uploads/uploadTable';
import { typedOperationsOf, type TypedOperations } from './typedOperations';
import { ResyncRequiredError, TransportError } from './transport';

export interface GraphqlTransportOptions {
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`. */
  url: string;
  /** Headers of every request (authentication: `{ authorization: 'Bearer …' }`); may be async. */
  headers?: () => Record<string, string> | Promise<Record<string, string>>;
  /** `fetch` to use (defaults to the global one). */
  fetch?: typeof fetch;
  /** Abort a request after this many ms. Default 30 s. */
  timeoutMs?: number;
  /**
   * The generated registry: requests then use the typed `syncPull<Entity>` /
   * `syncPush<Entity>` operations (checked by the server's GraphQL schema).
   * Without it, the generic `syncPull` / `syncPush` pair.
   */
  registry?: SyncRegistry;
}

const PULL = `query SyncPull($entity: String!, $cursor: String, $limit: Int) {
  syncPull(entity: $entity, cursor: $cursor, limit: $limit) { items deletedIds lastSyncAt cursor hasMore versionHash }
}`;
const PUSH = `mutation SyncPush($entity: String!, $items: [JSON!]!) {
  syncPush(entity: $entity, items: $items) {
    clientId id success errorCode errorMessage version updatedAt
    conflict { serverData clientData serverVersion resolutionSuggested conflictType }
  }
}`;

const UPLOAD_TICKET = `mutation SyncUploadTicket($input: SyncUploadTicketInput!) {
  syncUploadTicket(input: $input) { key method url headers { name value } expiresAt }
}`;
const FILE_URL = `query SyncFileUrl($key: String!) { syncFileUrl(key: $key) { url expiresAt } }`;

/** Codes of a GraphQL request refused before execution (graphql-js sets none for variable errors). */
const REQUEST_INVALID = new Set<string | null>([null, 'BAD_USER_INPUT', 'GRAPHQL_VALIDATION']);

interface GraphqlResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; maxBatch?: unknown } }[];
}

/**
 * The generic `syncPull` / `syncPush` operations (docs/PROTOCOL.md) over `fetch`.
 * Network failures, timeouts and HTTP 5xx are retryable `TransportError`s;
 * `RESYNC_REQUIRED` becomes a `ResyncRequiredError`; other GraphQL errors
 * (`BATCH_TOO_LARGE`, validation of the request) are not retryable.
 */
export class GraphqlTransport implements SyncTransport {
  private readonly typed: Map<string, TypedOperations> | null;

  constructor(private readonly options: GraphqlTransportOptions) {
    this.typed = options.registry ? typedOperationsOf(options.registry) : null;
  }

  async pull(request: { entity: string; cursor: string | null; limit?: number }): Promise<PullPage> {
    const typed = this.typed?.get(request.entity);
    if (typed) {
      const data = await this.request<Record<string, PullPage>>(typed.pull, { cursor: request.cursor, limit: request.limit }, request.entity);
      return data[`syncPull${request.entity}`]!;
    }
    const data = await this.request<{ syncPull: PullPage }>(PULL, request, request.entity);
    return data.syncPull;
  }

  async push(request: { entity: string; items: PushItem[] }): Promise<PushResult[]> {
    const typed = this.typed?.get(request.entity)?.push;
    if (typed) {
      try {
        const data = await this.request<Record<string, PushResult[]>>(typed, { items: request.items }, request.entity);
        return data[`syncPush${request.entity}`]!;
      } catch (error) {
        // The typed schema refused the variables before anything ran (a value of the wrong type,
        // e.g. queued by an older release): the generic operation reports it per item (VALIDATION)
        // instead of failing the whole batch. A network failure or a 5xx (retryable) is not a
        // refusal: resending at once through the other operation would hide it from the backoff.
        if (!(error instanceof TransportError) || error.retryable || !REQUEST_INVALID.has(error.code)) throw error;
      }
    }
    const data = await this.request<{ syncPush: PushResult[] }>(PUSH, request, request.entity);
    return data.syncPush;
  }

  /** `syncUploadTicket` (docs/PROTOCOL.md "Media"); the header list becomes a record. */
  async uploadTicket(input: UploadTicketInput): Promise<UploadTicket> {
    type Wire = Omit<UploadTicket, 'headers'> & { headers: { name: string; value: string }[] };
    const { contentType, ...rest } = input;
    const data = await this.request<{ syncUploadTicket: Wire }>(
      UPLOAD_TICKET,
      { input: { ...rest, ...(contentType ? { contentType } : {}) } },
      input.entity,
    );
    const ticket = data.syncUploadTicket;
    return { ...ticket, headers: Object.fromEntries(ticket.headers.map((h) => [h.name, h.value])) };
  }

  /** `syncFileUrl`: a URL to read the object, tenant-checked by the server. */
  async fileUrl(key: string): Promise<{ url: string; expiresAt?: string | null }> {
    return (await this.request<{ syncFileUrl: { url: string; expiresAt?: string | null } }>(FILE_URL, { key }, '')).syncFileUrl;
  }

  private async request<T>(query: string, variables: object, entity: string): Promise<T> {
    const doFetch = this.options.fetch ?? fetch;
    const headers = { 'content-type': 'application/json', accept: 'application/json', ...((await this.options.headers?.()) ?? {}) };
    let response: Response | null = null;
    for (let attempt = 1; !response; attempt++) {
      try {
        response = await doFetch(this.options.url, {
          method: 'POST',
          headers,
          body: JSON.stringify({ query, variables }),
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
        });
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        // A kept-alive connection the server closed while idle resets on reuse, or is found closed
        // when the request is written (undici: UND_ERR_SOCKET, "other side closed"), when a busy
        // event loop misses the server's keep-alive deadline: send once more on a fresh connection.
        // Safe to repeat: pulls read, pushes are deduplicated by operation id (docs/PROTOCOL.md "Push").
        if (attempt === 1 && (cause?.code === 'ECONNRESET' || cause?.code === 'UND_ERR_SOCKET')) continue;
        throw new TransportError(`network: ${(error as Error).message}${cause ? ` (${cause.code ?? cause.message})` : ''}`, true);
      }
    }
    if (response.status >= 500) throw new TransportError(`HTTP ${response.status}`, true, 'HTTP');
    let body: GraphqlResponse<T>;
    try {
      body = (await response.json()) as GraphqlResponse<T>;
    } catch (error) {
      throw new TransportError(`unreadable response (HTTP ${response.status}): ${(error as Error).message}`, true);
    }
    const first = body.errors?.[0];
    if (first) {
      const code = first.extensions?.code ?? null;
      if (code === 'RESYNC_REQUIRED') throw new ResyncRequiredError(entity);
      const retryable = code === 'INTERNAL' || code === 'INTERNAL_SERVER_ERROR';
      const maxBatch = first.extensions?.maxBatch;
      throw new TransportError(`${code ?? 'GRAPHQL'}: ${first.message}`, retryable, code, Number.isInteger(maxBatch) ? (maxBatch as number) : null);
    }
    if (!body.data) throw new TransportError(`empty response (HTTP ${response.status})`, true);
    return body.data;
  }
}

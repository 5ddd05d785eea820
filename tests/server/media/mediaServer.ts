import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createSchema, createYoga } from 'graphql-yoga';
import type { SyncAuth, SyncResultItem, SyncStorage } from 'trackhub-sync/runtime/server';
import type { ExampleDatabase } from '../../../examples/trackhub-core/server/database';
import { createResolvers, typeDefs } from '../../golden/media/expected/server';
import { goldenSource } from '../support/goldenServer';

// Test servers for file fields: the generated server of the `media` golden
// case (an Expense with receiptKey / attachment) over graphql-yoga, and the
// stores behind it, all on 127.0.0.1 with free ports.

const _golden = (path: string) => fileURLToPath(new URL(`../../golden/media/${path}`, import.meta.url));

/** Prisma schema and client folder of the media golden case. */
export const mediaSource = goldenSource('media');

export interface GqlResult<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export interface MediaApi {
  url: string;
  gql<T>(query: string, variables: Record<string, unknown>, tenant: string | null): Promise<GqlResult<T>>;
  push(items: Record<string, unknown>[], tenant: string): Promise<SyncResultItem[]>;
  ticket(tenant: string | null, input: Record<string, unknown>): Promise<GqlResult<{ syncUploadTicket: Ticket }>>;
  close(): Promise<void>;
}

export interface Ticket {
  key: string;
  method: string;
  url: string;
  headers: { name: string; value: string }[];
  expiresAt: string | null;
}

/** Listen on a free loopback port; resolves to the base URL. */
export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

const TICKET = /* GraphQL */ `
  mutation Ticket($input: SyncUploadTicketInput!) {
    syncUploadTicket(input: $input) { key method url headers { name value } expiresAt }
  }
`;
const PUSH = /* GraphQL */ `
  mutation Push($items: [JSON!]!) {
    syncPush(entity: "Expense", items: $items) { clientId id success errorCode errorMessage version }
  }
`;

/** The generated sync API with `storage`, over HTTP; the tenant comes from `x-tenant` (none: unauthenticated). */
export async function startMediaApi(db: ExampleDatabase, storage: SyncStorage): Promise<MediaApi> {
  const yoga = createYoga<object, { auth: SyncAuth | null }>({
    schema: createSchema({ typeDefs, resolvers: createResolvers<{ auth: SyncAuth | null }>({ prisma: db.prisma, storage, getAuth: (c) => c.auth }) }),
    context: ({ request }) => {
      const tenant = request.headers.get('x-tenant');
      return { auth: tenant ? { tenantId: tenant, userId: 'u' } : null };
    },
    logging: false,
    maskedErrors: false,
  });
  const server = createServer(yoga);
  const url = `${await listen(server)}/graphql`;
  const gql = async <T>(query: string, variables: Record<string, unknown>, tenant: string | null): Promise<GqlResult<T>> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(tenant ? { 'x-tenant': tenant } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GqlResult<T>;
  };
  return {
    url,
    gql,
    async push(items, tenant) {
      const result = await gql<{ syncPush: SyncResultItem[] }>(PUSH, { items }, tenant);
      if (result.errors) throw new Error(JSON.stringify(result.errors));
      return result.data!.syncPush;
    },
    ticket: (tenant, input) => gql(TICKET, { input }, tenant),
    close: () => closeServer(server),
  };
}

/**
 * A small real object store with presigned URLs (the S3 shape, no S3 here):
 * `PUT|GET /o/<key>?expires=&signature=` with an HMAC over method, key,
 * expiry (and content type for PUT); `HEAD` with the admin header, as a
 * credentialed HeadObject would be.
 */
export interface PutStore {
  url: string;
  objects: Map<string, { body: Buffer; contentType: string }>;
  /** `sign` of presignedStorage for this store. */
  sign(req: {
    method: 'PUT' | 'GET';
    key: string;
    expiresInSeconds: number;
    contentType?: string;
  }): Promise<{ url: string; headers?: Record<string, string> }>;
  /** `head` of presignedStorage for this store, over HTTP. */
  head(key: string): Promise<{ size: number } | null>;
  close(): Promise<void>;
}

export async function startPutStore(): Promise<PutStore> {
  const secret = 'put-store-secret-of-at-least-32-bytes!';
  const admin = 'admin-token';
  const objects = new Map<string, { body: Buffer; contentType: string }>();
  const mac = (text: string) => createHmac('sha256', secret).update(text).digest('hex');
  const signed = (method: string, key: string, expires: string, contentType: string, signature: string) => {
    const expected = Buffer.from(mac(`${method}\n${key}\n${expires}\n${contentType}`));
    const given = Buffer.from(signature);
    return Number(expires) > Date.now() / 1000 && expected.length === given.length && timingSafeEqual(expected, given);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://store');
    const key = decodeURIComponent(url.pathname.replace(/^\/o\//, ''));
    const expires = url.searchParams.get('expires') ?? '';
    const signature = url.searchParams.get('signature') ?? '';
    if (req.method === 'HEAD') {
      const object = req.headers['x-admin'] === admin ? objects.get(key) : undefined;
      res.writeHead(req.headers['x-admin'] !== admin ? 403 : object ? 200 : 404, object ? { 'content-length': object.body.length } : {});
      res.end();
      return;
    }
    if (req.method === 'PUT') {
      const contentType = req.headers['content-type'] ?? '';
      if (!signed('PUT', key, expires, contentType, signature)) {
        res.writeHead(403).end('bad signature');
        req.resume();
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        objects.set(key, { body: Buffer.concat(chunks), contentType });
        res.writeHead(200).end();
      });
      return;
    }
    if (req.method === 'GET') {
      const object = objects.get(key);
      if (!signed('GET', key, expires, '', signature)) res.writeHead(403).end('bad signature');
      else if (!object) res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': object.contentType }).end(object.body);
      return;
    }
    res.writeHead(405).end();
  });
  const base = await listen(server);
  return {
    url: base,
    objects,
    async sign(req) {
      const expires = String(Math.floor(Date.now() / 1000) + req.expiresInSeconds);
      const contentType = req.method === 'PUT' ? (req.contentType ?? '') : '';
      const signature = mac(`${req.method}\n${req.key}\n${expires}\n${contentType}`);
      return {
        url: `${base}/o/${encodeURIComponent(req.key)}?expires=${expires}&signature=${signature}`,
        ...(req.method === 'PUT' && req.contentType ? { headers: { 'content-type': req.contentType } } : {}),
      };
    },
    async head(key) {
      const response = await fetch(`${base}/o/${encodeURIComponent(key)}`, { method: 'HEAD', headers: { 'x-admin': admin } });
      if (response.status === 404) return null;
      if (!response.ok) throw new Error(`HEAD ${key}: ${response.status}`);
      return { size: Number(response.headers.get('content-length')) };
    },
    close: () => closeServer(server),
  };
}

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLError } from 'graphql';
import { createSchema, createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphqlTransport, TransportError } from '../../runtime/client/index';

// GraphqlTransport's uploadTicket / fileUrl against a real GraphQL server
// (graphql-yoga over HTTP) serving exactly the SDL of the media contract
// (docs/PROTOCOL.md "Media"): the operations the client sends validate against
// it, the header list becomes a record, error codes keep their meaning.

const SDL = /* GraphQL */ `
  input SyncUploadTicketInput {
    entity: String!
    field: String!
    recordId: ID!
    uploadId: ID!
    size: Int!
    contentType: String
  }
  type SyncUploadHeader { name: String!, value: String! }
  type SyncUploadTicket {
    key: String!
    method: String!
    url: String!
    headers: [SyncUploadHeader!]!
    expiresAt: String
  }
  type SyncFileUrl { url: String!, expiresAt: String }
  type Query { syncFileUrl(key: String!): SyncFileUrl! }
  type Mutation { syncUploadTicket(input: SyncUploadTicketInput!): SyncUploadTicket! }
`;

let url: string;
let close: () => Promise<void>;
const seen: unknown[] = [];

beforeAll(async () => {
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: SDL,
      resolvers: {
        Query: {
          syncFileUrl: (_: unknown, { key }: { key: string }) => {
            if (!key.startsWith('t/A/')) throw new GraphQLError('not yours', { extensions: { code: 'FORBIDDEN' } });
            return { url: `https://files.example/${key}?sig=1`, expiresAt: '2030-01-01T00:00:00.000Z' };
          },
        },
        Mutation: {
          syncUploadTicket: (_: unknown, { input }: { input: { uploadId: string; size: number } }) => {
            seen.push(input);
            if (input.size > 1000) throw new GraphQLError('size over maxBytes', { extensions: { code: 'BAD_REQUEST' } });
            return {
              key: `t/A/${input.uploadId}`,
              method: 'tus',
              url: 'https://uploads.example/files',
              headers: [{ name: 'authorization', value: 'Bearer token' }],
              expiresAt: null,
            };
          },
        },
      },
    }),
    logging: false,
    maskedErrors: false,
  });
  const http = createServer(yoga);
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/graphql`;
  close = () => new Promise((r) => http.close(() => r()));
});
afterAll(() => close?.());

describe('GraphqlTransport media operations', () => {
  it('asks syncUploadTicket with the contract input and returns headers as a record', async () => {
    const transport = new GraphqlTransport({ url });
    const input = { entity: 'Task', field: 'receiptKey', recordId: 'r1', uploadId: 'u1', size: 10, contentType: 'image/png' };
    expect(await transport.uploadTicket(input)).toEqual({
      key: 't/A/u1',
      method: 'tus',
      url: 'https://uploads.example/files',
      headers: { authorization: 'Bearer token' },
      expiresAt: null,
    });
    await transport.uploadTicket({ ...input, uploadId: 'u2', contentType: null });
    expect(seen).toEqual([input, { entity: 'Task', field: 'receiptKey', recordId: 'r1', uploadId: 'u2', size: 10 }]);
  });

  it('a refused ticket is a non-retryable TransportError with its code; syncFileUrl resolves a key or refuses another tenant', async () => {
    const transport = new GraphqlTransport({ url });
    const refused = await transport
      .uploadTicket({ entity: 'Task', field: 'receiptKey', recordId: 'r1', uploadId: 'u3', size: 5000, contentType: null })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TransportError);
    expect(refused).toMatchObject({ code: 'BAD_REQUEST', retryable: false });
    expect(await transport.fileUrl('t/A/u1')).toEqual({ url: 'https://files.example/t/A/u1?sig=1', expiresAt: '2030-01-01T00:00:00.000Z' });
    await expect(transport.fileUrl('t/B/u9')).rejects.toMatchObject({ code: 'FORBIDDEN', retryable: false });
  });
});

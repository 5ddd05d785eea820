import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSchema, createYoga } from 'graphql-yoga';
import { syncDocumentLimits, type AuthorizeFn, type SqlDialect, type SyncAuth } from 'trackhub-sync/runtime/server';
import { createResolvers, typeDefs } from '../generated/server';
import type { ExamplePrisma } from './database';
import { devAuthenticator } from './devAuth';

export interface SyncContext {
  auth: SyncAuth | null;
}

export interface SyncAppOptions {
  prisma: ExamplePrisma;
  dialect?: SqlDialect;
  /** Request → caller. Default: the development authenticator (`Bearer dev:<tenant>:<user>`). */
  authenticate?: (request: Request) => SyncAuth | null;
  authorize?: AuthorizeFn;
  /** Overrides of the generated settings (tests use small limits). */
  maxBatch?: number;
  pageSizeMax?: number;
  tombstoneHorizonDays?: number;
  now?: () => Date;
}

/** graphql-yoga serving the generated sync API at `/graphql`. */
export function createSyncApp(options: SyncAppOptions) {
  const { authenticate = devAuthenticator, ...rest } = options;
  const resolvers = createResolvers<SyncContext>({ ...rest, getAuth: (context) => context.auth });
  return createYoga<object, SyncContext>({
    schema: createSchema<SyncContext>({ typeDefs, resolvers }),
    context: ({ request }) => ({ auth: authenticate(request) }),
    graphqlEndpoint: '/graphql',
    // Pathological documents (a 50,000-deep literal) get a GraphQL error, not a stack overflow.
    plugins: [syncDocumentLimits()],
    logging: false,
  });
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Listen on 127.0.0.1 (`port` 0: a free port). */
export async function startSyncServer(options: SyncAppOptions & { port?: number; host?: string }): Promise<RunningServer> {
  const server = createServer(createSyncApp(options));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/graphql`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

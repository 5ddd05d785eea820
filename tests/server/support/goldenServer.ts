import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSchema, createYoga } from 'graphql-yoga';
import type { SyncAuth, SyncServerOptions } from 'trackhub-sync/runtime/server';
import type { ExampleDatabase } from '../../../examples/trackhub-core/server/database';

type Context = { auth: SyncAuth | null };
type Resolvers = NonNullable<Parameters<typeof createSchema<Context>>[0]['resolvers']>;

/** What a golden case's generated server exports (`expected/server/index.ts`). */
export interface GoldenServerApi {
  typeDefs: string;
  createResolvers(options: SyncServerOptions<Context>): Resolvers;
}

export interface GoldenServer {
  url: string;
  db: ExampleDatabase;
  /** Stops the HTTP server, then closes the database. */
  close(): Promise<void>;
}

/**
 * A golden case's generated server over graphql-yoga on 127.0.0.1 (free
 * port); the tenant comes from the `x-tenant` header.
 */
export async function serveGolden(db: ExampleDatabase, api: GoldenServerApi): Promise<GoldenServer> {
  const yoga = createYoga<object, Context>({
    schema: createSchema<Context>({
      typeDefs: api.typeDefs,
      resolvers: api.createResolvers({ prisma: db.prisma, dialect: db.dialect, getAuth: (c) => c.auth }),
    }),
    context: ({ request }) => ({ auth: { tenantId: request.headers.get('x-tenant') ?? '', userId: 'u' } }),
    logging: false,
  });
  const server = createServer(yoga);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    db,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}

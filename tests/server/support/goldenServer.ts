import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createSchema, createYoga } from 'graphql-yoga';
import type { SyncAuth, SyncServerOptions } from 'trackhub-sync/runtime/server';
import type { ClientSource, ExampleDatabase } from '../../../examples/trackhub-core/server/database';
import { composePrismaSchema } from '../../../examples/trackhub-core/server/prismaSchema';

type Context = { auth: SyncAuth | null };
type Resolvers = NonNullable<Parameters<typeof createSchema<Context>>[0]['resolvers']>;

/**
 * The Prisma schema of golden case `name` for the server's database: its
 * `inputs` (paths inside `tests/golden/<name>/`; default the input schema)
 * with the generated `sync.prisma`, composed per provider into its own client
 * folder under `.tmp/prisma-clients/` (ignored, and outside tsc's include: the
 * typecheck test may run meanwhile).
 */
export function goldenSource(name: string, inputs: readonly string[] = ['input/schema.prisma']): ClientSource {
  const golden = (path: string) => fileURLToPath(new URL(`../../golden/${name}/${path}`, import.meta.url));
  return (provider) => {
    const dir = fileURLToPath(new URL(`../../../.tmp/prisma-clients/${name}-${provider}/`, import.meta.url));
    return { schema: composePrismaSchema([...inputs.map(golden), golden('expected/server/prisma/sync.prisma')], provider, dir), dir };
  };
}

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

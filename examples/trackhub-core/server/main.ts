/**
 * The example sync server:
 *
 *   npm run example:server -- --port 4000 --db dev.db
 *   npm run example:server -- --port 4000 --database-url postgres://user@127.0.0.1:5432/db
 *
 * Serves http://127.0.0.1:<port>/graphql and authenticates
 * `Authorization: Bearer dev:<tenantId>:<userId>` (development only).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startSyncServer } from './app';
import { openDatabase } from './database';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4000' },
    db: { type: 'string', default: 'trackhub-core.db' },
    'database-url': { type: 'string' },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, got ${values.port}`);
  process.exit(2);
}
const url = values['database-url'];
const database = await openDatabase(url ? { url } : { file: resolve(values.db!) });
const server = await startSyncServer({ prisma: database.prisma, dialect: database.dialect, port });
console.log(`trackhub-core sync API on ${server.url} (${url ? 'PostgreSQL' : `SQLite ${resolve(values.db!)}`})`);
console.log('Development authenticator: Authorization: Bearer dev:<tenantId>:<userId>');

const stop = async () => {
  await server.close();
  await database.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

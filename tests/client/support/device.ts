import { Database } from '@nozbe/watermelondb';
import * as sqliteModule from '@nozbe/watermelondb/adapters/sqlite';
import { interopDefault } from '../../../runtime/client/interop';
import { logger } from '@nozbe/watermelondb/utils/common';
import { SyncEngine, type Platform, type SyncTransport } from '../../../runtime/client/index';
import { createAdapters, registry, type SyncAdapters } from '../../../examples/trackhub-core/generated/client/index';
import { migrations, modelClasses, schema } from '../../../examples/trackhub-core/generated/watermelon/index';

// WatermelonDB ships CommonJS; from ESM the class sits on `default` (ENVIRONMENT.md).
const SQLiteAdapter = interopDefault(sqliteModule) as unknown as typeof sqliteModule.default;
logger.silence();

export { registry };

/** Opens WatermelonDB on the SQLite adapter (better-sqlite3): a file path or ':memory:'. */
export function openExampleDatabase(dbName = ':memory:'): Database {
  return new Database({ adapter: new SQLiteAdapter({ schema, migrations, dbName, jsi: false }), modelClasses });
}

/** One simulated phone: its database, the generated adapters and an engine. */
export interface Device {
  name: string;
  database: Database;
  adapters: SyncAdapters;
  engine: SyncEngine;
}

export interface DeviceOptions {
  tenantId: string;
  transport: SyncTransport;
  dbName?: string;
  database?: Database;
  platform?: Partial<Platform>;
  pullLimit?: number;
  pushConcurrency?: number;
  pushBatchSize?: number;
}

export function openDevice(name: string, options: DeviceOptions): Device {
  const database = options.database ?? openExampleDatabase(options.dbName);
  const engine = new SyncEngine({
    database,
    registry,
    transport: options.transport,
    platform: options.platform,
    intervalMs: 0,
    pullLimit: options.pullLimit,
    pushConcurrency: options.pushConcurrency,
    pushBatchSize: options.pushBatchSize,
    backoff: { initialMs: 1, maxMs: 5 },
  });
  // The adapters stamp queue entries and records with the same clock as the engine.
  const clock = options.platform?.clock;
  return { name, database, adapters: createAdapters({ database, scopeValue: options.tenantId, ...(clock ? { clock } : {}) }), engine };
}

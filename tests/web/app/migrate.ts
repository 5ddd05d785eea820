/**
 * A LokiJS database on IndexedDB migrated from version 1 to 2 with a table
 * and a column rename (the golden case `migrate-rename`: tasks → todos,
 * title → heading). `?version=1` opens it at version 1 (schema from the
 * committed snapshot trackhub-sync/migrations/0001.json) and writes rows; `?version=2` opens it with
 * the generated version-2 schema, migrations and webMigrationSteps.
 * `?db=NAME` names the database.
 */
import { type Database, Model, appSchema, tableSchema } from '@nozbe/watermelondb';
import { lokiDatabaseFactory } from 'trackhub-sync/runtime/client/loki';
import snapshot1 from '../../golden/migrate-rename/trackhub-sync/migrations/0001.json';
import { migrations, modelClasses, schema, webMigrationSteps } from '../../golden/migrate-rename/expected/watermelon';

const params = new URLSearchParams(location.search);
const version = Number(params.get('version') ?? '2');
const dbName = params.get('db') ?? 'migrate_db';
// `?noweb`: migrate with WatermelonDB's steps only (what LokiJS did before webMigrationSteps).
const steps = params.has('noweb') ? undefined : webMigrationSteps;
const errors: string[] = [];
const onError = (e: Error) => errors.push(e.message);

class TaskV1 extends Model {
  static override table = 'tasks';
}

function openV1(): Database {
  const v1 = appSchema({
    version: 1,
    tables: snapshot1.tables.map((t) => tableSchema({ name: t.name, columns: t.columns.map((c) => ({ ...c, type: c.type as 'string' })) })),
  });
  return lokiDatabaseFactory({ schema: v1, modelClasses: [TaskV1], onError })(dbName);
}

const database = version === 1 ? openV1() : lokiDatabaseFactory({ schema, migrations, modelClasses, webMigrationSteps: steps, onError })(dbName);

const page = {
  errors,
  /** Version 1: create tasks with these titles. */
  async writeV1(titles: string[]): Promise<void> {
    await database.write(async () => {
      for (const title of titles) {
        await database.get<TaskV1>('tasks').create((r) => {
          Object.assign(r._raw, { title, done: title.endsWith('!'), version: 1, updated_at: 1 });
        });
      }
    });
  },
  /** The rows of a table as plain raw records. */
  async rows(table: string): Promise<Record<string, unknown>[]> {
    return (await database.get(table).query().fetch()).map((r) => ({ ...r._raw }));
  },
};
(window as unknown as { page: typeof page }).page = page;

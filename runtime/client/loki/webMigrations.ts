import * as driverModule from '@nozbe/watermelondb/adapters/lokijs/worker/DatabaseDriver';
import { interopDefault } from '../interop';
import type { WebMigrationStep, WebMigrationSteps } from './webMigrationStep';

export type { WebMigrationStep, WebMigrationSteps };

/** The LokiJS objects the steps touch (lokijs has no types of its own). */
interface LokiDoc {
  [column: string]: unknown;
}
interface LokiCollection {
  name: string;
  data: LokiDoc[];
  binaryIndices: Record<string, unknown>;
  update(doc: LokiDoc | LokiDoc[]): void;
  ensureIndex(column: string, force?: boolean): void;
  insert(docs: LokiDoc[]): void;
}
export interface LokiInstance {
  getCollection(name: string): LokiCollection | null;
  renameCollection(from: string, to: string): LokiCollection;
  removeCollection(name: string): void;
  saveDatabase(callback: (error?: unknown) => void): void;
  loadDatabase(options: object, callback: (error?: unknown) => void): void;
  close(callback?: () => void): void;
  autosaveDisable(): void;
}

/** Apply one step to a loaded Loki database (in memory; the caller saves). */
export function applyWebStep(loki: LokiInstance, step: WebMigrationStep): void {
  const collection = (name: string) => loki.getCollection(name);
  switch (step.kind) {
    case 'renameTable': {
      if (!collection(step.from)) return;
      if (collection(step.to)) loki.removeCollection(step.to);
      loki.renameCollection(step.from, step.to);
      return;
    }
    case 'renameColumn': {
      const c = collection(step.table);
      if (!c) return;
      for (const doc of c.data) {
        doc[step.to] = doc[step.from] ?? null;
        delete doc[step.from];
      }
      c.update(c.data);
      if (step.from in c.binaryIndices) {
        delete c.binaryIndices[step.from];
        c.ensureIndex(step.to, true);
      }
      return;
    }
    case 'dropColumn': {
      const c = collection(step.table);
      if (!c) return;
      for (const doc of c.data) delete doc[step.column];
      c.update(c.data);
      delete c.binaryIndices[step.column];
      return;
    }
    case 'dropTable':
      if (collection(step.table)) loki.removeCollection(step.table);
      return;
    case 'addIndex':
      collection(step.table)?.ensureIndex(step.column, true);
      return;
    case 'dropIndex': {
      const c = collection(step.table);
      if (c) delete c.binaryIndices[step.column];
      return;
    }
    case 'setValue': {
      const c = collection(step.table);
      if (!c) return;
      for (const doc of c.data) if (!step.onlyNull || doc[step.column] == null) doc[step.column] = step.value;
      c.update(c.data);
      return;
    }
    default: {
      const unreachable: never = step;
      throw new Error(`unknown web migration step ${JSON.stringify(unreachable)}`);
    }
  }
}

/** The option key the factory passes through to the LokiJS driver. */
export const WEB_STEPS_OPTION = 'trackhubWebMigrationSteps';

interface DriverLike {
  loki: LokiInstance;
  options: Record<string, unknown>;
  migrations?: { sortedMigrations: readonly { toVersion: number; steps: unknown[] }[] };
  _databaseVersion: number;
  schema: { version: number };
  _migrate(steps: unknown[]): Promise<void>;
}

let patched = false;

/**
 * Run the web steps inside WatermelonDB's LokiJS migration. The driver's
 * `_migrate` (WatermelonDB 0.28, adapters/lokijs/worker/DatabaseDriver)
 * receives the flattened createTable/addColumns steps of every version
 * crossed, while the driver still knows the old version. Version by
 * version, the web steps of that version run first (the schema differ
 * orders renames and drops before a version's added columns and tables, so
 * this is the order SQLite runs them in), then WatermelonDB's own steps of
 * that version. Drivers opened without web steps are untouched.
 */
export function installWebMigrations(): void {
  if (patched) return;
  const Driver = interopDefault(driverModule) as unknown as { prototype: DriverLike };
  const original = Driver.prototype._migrate;
  if (typeof original !== 'function')
    throw new Error('trackhub-sync: this WatermelonDB version has no LokiJS DatabaseDriver._migrate; web migrations need WatermelonDB 0.28');
  Driver.prototype._migrate = async function migrate(this: DriverLike, steps: unknown[]) {
    const web = this.options[WEB_STEPS_OPTION] as WebMigrationSteps | undefined;
    if (!web || !this.migrations) return original.call(this, steps);
    const from = this._databaseVersion;
    for (let version = from + 1; version <= this.schema.version; version++) {
      for (const step of web[version] ?? []) applyWebStep(this.loki, step);
      const own = this.migrations.sortedMigrations.find((m) => m.toVersion === version);
      await original.call(this, own ? own.steps : []);
    }
  };
  patched = true;
}

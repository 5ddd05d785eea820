import * as lokiModule from '@nozbe/watermelondb/adapters/lokijs';
import type { LokiAdapterOptions } from '@nozbe/watermelondb/adapters/lokijs';
import type { ResultCallback } from '@nozbe/watermelondb/utils/fp/Result';
import { interopDefault } from '../interop';
import { WebDatabaseError, toError, type WebDatabaseErrorKind } from './errors';
import type { LokiInstance } from './webMigrations';

const LokiJSAdapter = interopDefault(lokiModule) as unknown as typeof lokiModule.default;

type Base = InstanceType<typeof LokiJSAdapter>;
type Callback<T> = ResultCallback<T>;

/** WatermelonDB 0.28's LokiJS driver (adapters/lokijs/worker/DatabaseDriver): the parts a rollback resets. */
interface LokiDriver {
  loki: LokiInstance;
  /** Per table, the ids of records the driver believes JS holds in its cache (it then sends ids only). */
  cachedRecords: Map<string, Set<string>>;
}

/**
 * WatermelonDB's LokiJS adapter whose writes are durable when they resolve.
 *
 * LokiJS keeps the database in memory and writes it to IndexedDB on its own
 * schedule (autosave, 500 ms in WatermelonDB's adapter), so a `database.write`
 * that resolved could still be lost by a reload. Here autosave is off and
 * every mutating adapter call (batch, local storage, reset) answers only after
 * `loki.saveDatabase` committed the IndexedDB transaction; a failed save fails
 * the call (and is reported through `onError`).
 *
 * A failed save is rolled back: LokiJS already applied the write in memory,
 * and WatermelonDB's driver already counted its records as sent to JS, while
 * WatermelonDB's record cache never took them (the batch rejected). Before
 * the failed call answers, the in-memory database is reloaded from IndexedDB
 * and both caches are cleared (`onRollBack`), so memory holds what IndexedDB
 * holds: the write is either durable or rejected, never half there. Calls
 * are therefore issued one at a time, each after the previous one answered:
 * no call runs on a state that a rollback is about to discard. README "Web".
 */
export class DurableLokiAdapter extends LokiJSAdapter {
  private closed = false;
  private readonly report: (kind: WebDatabaseErrorKind, cause: unknown) => WebDatabaseError;
  private readonly closeHooks: (() => void)[] = [];
  private readonly rollBackHooks: (() => void)[] = [];
  private readonly readyPromise: Promise<void>;

  constructor(options: LokiAdapterOptions & Record<string, unknown>, onError: (error: WebDatabaseError) => void) {
    super(options);
    const name = options.dbName ?? 'loki';
    this.report = (kind, cause) => {
      const error = new WebDatabaseError(kind, name, cause);
      onError(error);
      return error;
    };
    // Queued behind set-up (the adapter runs its calls in order); the save
    // keeps what a migration changed.
    this.readyPromise = new Promise<void>((resolve, reject) =>
      super.getLocal('__trackhub_ready', (result) => ('error' in result ? reject(result.error) : resolve())),
    ).then(() => this.save());
    this.readyPromise.catch(() => {});
  }

  /** Resolves once set-up and migration finished and were saved. */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  /** Report a failure to `onError` (as a `WebDatabaseError`) and return it. */
  reportError(kind: WebDatabaseErrorKind, cause: unknown): WebDatabaseError {
    return this.report(kind, cause);
  }

  /** Run `hook` when the database closes in this tab. */
  onClose(hook: () => void): void {
    this.closeHooks.push(hook);
  }

  /**
   * Run `hook` after a failed mutating call was rolled back (memory reloaded
   * from IndexedDB): the factory clears WatermelonDB's record caches there.
   */
  onRollBack(hook: () => void): void {
    this.rollBackHooks.push(hook);
  }

  /** WatermelonDB's LokiJS driver once set up (`useWebWorker: false`: it lives in this thread). */
  private get driver(): LokiDriver | null {
    try {
      return (this._driver as LokiDriver | undefined) ?? null;
    } catch {
      return null;
    }
  }

  /** The in-memory Loki database, once set up. */
  get loki(): LokiInstance | null {
    return this.driver?.loki ?? null;
  }

  /** Write the in-memory database to IndexedDB now; resolves when the transaction committed. */
  save(): Promise<void> {
    return new Promise((resolve, reject) => {
      const loki = this.loki;
      if (this.closed) return reject(new Error(`database ${this.dbName} is closed in this tab`));
      if (!loki) return resolve();
      loki.saveDatabase((error) => (error ? reject(this.report('save', toError(error))) : resolve()));
    });
  }

  /**
   * Save, then stop: later calls fail instead of writing a copy that another
   * tab may have superseded (README "Web", one tab at a time).
   */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.save();
    } finally {
      this.shutDown();
    }
  }

  /** Stop without saving: later calls fail. */
  private shutDown(): void {
    if (this.closed) return;
    this.closed = true;
    for (const hook of this.closeHooks.splice(0)) hook();
    const loki = this.loki;
    if (loki) {
      loki.autosaveDisable();
      loki.close();
    }
  }

  /**
   * Make memory what IndexedDB holds after a mutating call failed (its save,
   * or the call itself): LokiJS reloads its collections from IndexedDB (the
   * incremental adapter resets its version ids too, so the next save compares
   * against what it read), the driver forgets which records JS has, and the
   * hooks clear WatermelonDB's record caches. When even the reload fails, the
   * database closes in this tab (a `reload` error): nothing is served from a
   * memory that may hold a write IndexedDB does not have.
   */
  private async rollBack(): Promise<void> {
    const driver = this.driver;
    if (!driver) return;
    try {
      await new Promise<void>((resolve, reject) => driver.loki.loadDatabase({}, (error) => (error ? reject(toError(error)) : resolve())));
    } catch (error) {
      this.report('reload', error);
      this.shutDown();
    } finally {
      driver.cachedRecords.clear();
      for (const hook of this.rollBackHooks) hook();
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  // Every adapter call answers in call order (WatermelonDB relies on it: the
  // driver marks records as sent to JS in its own order), and a mutating
  // call answers after its save. So a read issued after a write waits for
  // that write's save, as it waited for the write itself.
  override find(...[table, id, callback]: Parameters<Base['find']>): void {
    this.ordered(false, callback, (cb) => super.find(table, id, cb));
  }
  override query(...[query, callback]: Parameters<Base['query']>): void {
    this.ordered(false, callback, (cb) => super.query(query, cb));
  }
  override queryIds(...[query, callback]: Parameters<Base['queryIds']>): void {
    this.ordered(false, callback, (cb) => super.queryIds(query, cb));
  }
  override unsafeQueryRaw(...[query, callback]: Parameters<Base['unsafeQueryRaw']>): void {
    this.ordered(false, callback, (cb) => super.unsafeQueryRaw(query, cb));
  }
  override count(...[query, callback]: Parameters<Base['count']>): void {
    this.ordered(false, callback, (cb) => super.count(query, cb));
  }
  override getDeletedRecords(...[table, callback]: Parameters<Base['getDeletedRecords']>): void {
    this.ordered(false, callback, (cb) => super.getDeletedRecords(table, cb));
  }
  override getLocal(...[key, callback]: Parameters<Base['getLocal']>): void {
    this.ordered(false, callback, (cb) => super.getLocal(key, cb));
  }
  override batch(...[operations, callback]: Parameters<Base['batch']>): void {
    this.ordered(true, callback, (cb) => super.batch(operations, cb));
  }
  override destroyDeletedRecords(...[table, recordIds, callback]: Parameters<Base['destroyDeletedRecords']>): void {
    this.ordered(true, callback, (cb) => super.destroyDeletedRecords(table, recordIds, cb));
  }
  override setLocal(...[key, value, callback]: Parameters<Base['setLocal']>): void {
    this.ordered(true, callback, (cb) => super.setLocal(key, value, cb));
  }
  override removeLocal(...[key, callback]: Parameters<Base['removeLocal']>): void {
    this.ordered(true, callback, (cb) => super.removeLocal(key, cb));
  }
  override unsafeResetDatabase(...[callback]: Parameters<Base['unsafeResetDatabase']>): void {
    this.ordered(true, callback, (cb) => super.unsafeResetDatabase(cb));
  }
  override unsafeExecute(...[operations, callback]: Parameters<Base['unsafeExecute']>): void {
    this.ordered(true, callback, (cb) => super.unsafeExecute(operations, cb));
  }

  private tail: Promise<void> = Promise.resolve();

  /**
   * Issue `call` once every earlier call answered; answer `callback` after
   * it and, when `durable`, after a save. A mutating call that failed (or
   * whose save failed) answers with its error after the rollback.
   */
  private ordered<T>(durable: boolean, callback: Callback<T>, call: (cb: Callback<T>) => void): void {
    const previous = this.tail;
    let answered!: () => void;
    this.tail = new Promise<void>((resolve) => (answered = resolve));
    const answer: Callback<T> = (result) => {
      answered();
      callback(result);
    };
    void previous.then(() => {
      if (this.closed) return answer({ error: new Error(`database ${this.dbName} is closed in this tab (handed to another tab, or failed)`) });
      call((result) => {
        if (!durable) return answer(result);
        const saved = 'error' in result ? Promise.reject(result.error) : this.save();
        saved.then(
          () => answer(result),
          (error: Error) => void this.rollBack().then(() => answer({ error })),
        );
      });
    });
  }
}

/**
 * The web app the browser tests drive (tests/web/web.test.ts), built by Vite
 * the way a user's app is: the generated example client and models, the
 * LokiJS factory on IndexedDB, the tab lock and leader, browser adapters.
 * Query string: `tenant`, `user`, `api` (GraphQL URL), `nolocks` (use the
 * localStorage lease fallback instead of Web Locks).
 */
import type { Database } from '@nozbe/watermelondb';
import { GraphqlTransport, SyncEngine, tenantDatabaseName, type SyncReport } from 'trackhub-sync/runtime/client';
import { TabDatabase, browserAppState, browserNetwork, leaderSync, leaseLocks, webLocks } from 'trackhub-sync/runtime/client/browser';
import { lokiDatabaseFactory, type WebDatabaseError } from 'trackhub-sync/runtime/client/loki';
import { createAdapters, registry, type SyncAdapters } from '../../../examples/trackhub-core/generated/client';
import { migrations, modelClasses, schema } from '../../../examples/trackhub-core/generated/watermelon';

const params = new URLSearchParams(location.search);
const tenant = params.get('tenant') ?? 'acme';
const user = params.get('user') ?? 'web';
const api = params.get('api') ?? '/graphql';
const errors: string[] = [];
const reports: SyncReport[] = [];

const network = browserNetwork();
// Names this page load for the test server's overlap log.
const tabId = Math.random().toString(36).slice(2);
const transport = new GraphqlTransport({
  url: new URL(api, location.href).href,
  headers: () => ({ authorization: `Bearer dev:${tenant}:${user}`, 'x-test-tab': tabId }),
});

interface Session {
  database: Database;
  engine: SyncEngine;
  adapters: SyncAdapters;
}

const tab = new TabDatabase<Session>({
  name: tenantDatabaseName(tenant),
  open: lokiDatabaseFactory({ schema, migrations, modelClasses, onError: (e: WebDatabaseError) => errors.push(`${e.kind}: ${e.message}`) }),
  session: (database) => ({
    database,
    engine: new SyncEngine({ database, registry, transport, platform: { network }, intervalMs: 0 }),
    adapters: createAdapters({ database, scopeValue: tenant }),
  }),
  locks: params.has('nolocks') ? leaseLocks() : webLocks(),
});

const transaction = IDBDatabase.prototype.transaction;
let leader = false;
leaderSync(
  tab,
  async (session, trigger) => {
    const report = await session.engine.sync(trigger);
    reports.push(report);
    return report;
  },
  { network, appState: browserAppState(), intervalMs: 0, debounceMs: 50, onLeadership: (is) => (leader = is) },
);

const app = {
  /** Create a space named `name`; resolves when it is in IndexedDB. */
  async write(name: string): Promise<string> {
    const id = await tab.run(async (_, s) => (await s.adapters.space.create({ name })).id);
    tab.notifyChanged();
    return id;
  },
  names: () => tab.run(async (_, s) => (await s.adapters.space.query().fetch()).map((r) => r.name).sort()),
  pending: () => tab.run(async (_, s) => (await s.engine.listPending()).length),
  sync: () => tab.run((_, s) => s.engine.sync('manual')),
  get leader() {
    return leader;
  },
  /** From now on every IndexedDB write of this page fails (a full disk, a revoked quota); reads still work. */
  failWrites(): void {
    IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
      if (args[1] === 'readwrite') throw new DOMException('simulated IndexedDB failure', 'UnknownError');
      return transaction.apply(this, args);
    };
  },
  /** IndexedDB writes work again. */
  repairWrites(): void {
    IDBDatabase.prototype.transaction = transaction;
  },
  errors,
  reports: () => reports.map((r) => ({ trigger: r.trigger, ok: r.ok, error: r.error, pushed: r.push?.acknowledged ?? 0 })),
};
(window as unknown as { app: typeof app }).app = app;
document.getElementById('status')!.textContent = 'ready';

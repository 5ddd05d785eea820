/**
 * The web runtime in a real headless Chromium (Debian's `chromium`, driven by
 * playwright-core; `.ci/run` installs it): the test app (tests/web/app) built
 * once with Vite from the packed package (in the project tests/package's
 * globalSetup installed the tarball into; this file belongs to vitest's
 * `package` project), served beside a proxy to the example sync server,
 * started from that project as users start it. README "Web".
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchProfile } from './support/browser';
import { prepareWebProject } from './support/buildApp';
import { startAppServer, startExampleServer } from './support/servers';

interface AppReport {
  trigger: string;
  ok: boolean;
  error: string | null;
  pushed: number;
}
interface TestApp {
  write(name: string): Promise<string>;
  names(): Promise<string[]>;
  pending(): Promise<number>;
  sync(): Promise<{ ok: boolean; error: string | null }>;
  leader: boolean;
  failWrites(): void;
  repairWrites(): void;
  errors: string[];
  reports(): AppReport[];
}
declare const app: TestApp;

let work: string;
let serverDb: string;
let example: Awaited<ReturnType<typeof startExampleServer>>;
let site: Awaited<ReturnType<typeof startAppServer>>;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'trackhub-web-'));
  serverDb = join(work, 'server.db');
  const project = prepareWebProject();
  example = await startExampleServer(project.dir, serverDb);
  site = await startAppServer(project.site, example.url);
}, 300_000);

afterAll(async () => {
  await site?.stop();
  await example?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** Space names on the server for a tenant, with how many rows each has. */
function serverNames(tenant: string): Map<string, number> {
  const db = new Sqlite(serverDb, { readonly: true });
  try {
    const rows = db.prepare('select name from Space where tenantId = ?').all(tenant) as { name: string }[];
    const counts = new Map<string, number>();
    for (const { name } of rows) counts.set(name, (counts.get(name) ?? 0) + 1);
    return counts;
  } finally {
    db.close();
  }
}

/** Open the app for a tenant; collects the page's console errors (IndexedDB failures must not only be logged). */
async function openApp(page: Page, tenant: string, query = ''): Promise<string[]> {
  const consoleErrors: string[] = [];
  // Not failures: the favicon request, and LokiJS's log when WatermelonDB
  // replaces a brand-new empty database (its delete waits for a connection
  // to close and then succeeds; LokiJS says so itself).
  const benign = [/404/, /Deleting database failed because it's blocked by another connection/];
  page.on('console', (m) => m.type() === 'error' && !benign.some((b) => b.test(m.text())) && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto(`${site.origin}/?tenant=${tenant}&user=u-${tenant}${query}`);
  await page.waitForFunction(() => typeof (window as { app?: unknown }).app === 'object');
  return consoleErrors;
}

async function waitForSyncedAll(page: Page): Promise<void> {
  await page.waitForFunction(
    async () => {
      await app.sync();
      return (await app.pending()) === 0;
    },
    undefined,
    { polling: 200, timeout: 30_000 },
  );
}

describe('web runtime in Chromium', () => {
  it('a write followed at once by a reload is there after the reload and reaches the server: 20 runs of 20', async () => {
    const tenant = 'reload';
    const browser = await launchProfile();
    try {
      const page = await browser.context.newPage();
      const consoleErrors = await openApp(page, tenant);
      const written: string[] = [];
      let kept = 0;
      for (let run = 1; run <= 20; run++) {
        const name = `reload-${run}`;
        await page.evaluate((n) => app.write(n), name);
        written.push(name);
        await page.reload();
        await page.waitForFunction(() => typeof (window as { app?: unknown }).app === 'object');
        const names = await page.evaluate(() => app.names());
        if (names.includes(name)) kept++;
      }
      expect(kept).toBe(20);
      await waitForSyncedAll(page);
      const onServer = serverNames(tenant);
      expect([...onServer.keys()].sort()).toEqual([...written].sort());
      expect([...onServer.values()].every((n) => n === 1)).toBe(true);
      expect(await page.evaluate(() => app.errors)).toEqual([]);
      expect(consoleErrors).toEqual([]);
      expect(site.pushes.get(tenant)!.maxTabsInFlight).toBe(1);
    } finally {
      await browser.close();
    }
  }, 240_000);

  it.each([
    { locks: 'Web Locks', tenant: 'twotabs', query: '', steps: 30 },
    { locks: 'the localStorage lease fallback', tenant: 'twotabs-lease', query: '&nolocks', steps: 16 },
  ])(
    'two tabs ($locks) write and sync at random, then the leader closes: every write reaches the server once, never two tabs pushing at once',
    async ({ tenant, query, steps }) => {
      const browser = await launchProfile();
      try {
        const tabs = [await browser.context.newPage(), await browser.context.newPage()];
        const consoleErrors = [await openApp(tabs[0]!, tenant, query)];
        await tabs[0]!.waitForFunction(() => app.leader);
        consoleErrors.push(await openApp(tabs[1]!, tenant, query));
        expect(await tabs[1]!.evaluate(() => app.leader)).toBe(false);
        const written: string[] = [];
        // A fixed pseudo-random sequence: the same interleaving choices on every run.
        let seed = 17;
        const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
        const work: Promise<unknown>[] = [];
        for (let step = 0; step < steps; step++) {
          const tab = random() < 0.5 ? 0 : 1;
          const page = tabs[tab]!;
          if (random() < 0.7) {
            const name = `tab${tab}-${step}`;
            written.push(name);
            work.push(page.evaluate((n) => app.write(n), name));
          } else {
            work.push(page.evaluate(() => app.sync()));
          }
          if (random() < 0.5) await Promise.all(work.splice(0));
        }
        await Promise.all(work.splice(0));
        // The leader writes once more and closes at once; the other tab takes over and pushes it.
        const last = 'tab0-last';
        written.push(last);
        await tabs[0]!.evaluate((n) => app.write(n), last);
        await tabs[0]!.close({ runBeforeUnload: true });
        await tabs[1]!.waitForFunction(() => app.leader, undefined, { timeout: 10_000 });
        await waitForSyncedAll(tabs[1]!);
        const onServer = serverNames(tenant);
        expect([...onServer.keys()].sort()).toEqual([...written].sort());
        expect([...onServer.values()].every((n) => n === 1)).toBe(true);
        expect((await tabs[1]!.evaluate(() => app.names())).sort()).toEqual([...written].sort());
        expect(site.pushes.get(tenant)!.maxTabsInFlight, site.pushes.get(tenant)!.events.join('\n')).toBe(1);
        expect(site.pushes.get(tenant)!.total).toBeGreaterThan(0);
        expect(await tabs[1]!.evaluate(() => app.errors)).toEqual([]);
        expect(consoleErrors.flat()).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    180_000,
  );

  it('a failed IndexedDB save rejects the write, reaches onError and rolls the write back: never half there', async () => {
    const tenant = 'broken';
    const browser = await launchProfile();
    try {
      const page = await browser.context.newPage();
      const consoleErrors = await openApp(page, tenant);
      await page.evaluate(() => app.write('saved'));
      await waitForSyncedAll(page);
      await page.evaluate(() => app.failWrites());
      const outcome = await page.evaluate(() =>
        app.write('not saved').then(
          () => 'resolved',
          (e: Error) => `rejected: ${e.message}`,
        ),
      );
      expect(outcome).toMatch(/^rejected: web database trackhub_db_broken: save: simulated IndexedDB failure/);
      // (A leader sync saving at that moment fails the same way.)
      const errors = await page.evaluate(() => app.errors);
      expect(errors.length).toBeGreaterThan(0);
      for (const error of errors) expect(error).toMatch(/^save: .*simulated IndexedDB failure/);
      // Rolled back: memory holds what IndexedDB holds, the record and its queue entry both gone.
      expect(await page.evaluate(() => app.names())).toEqual(['saved']);
      expect(await page.evaluate(() => app.pending())).toBe(0);
      await page.evaluate(() => app.repairWrites());
      await page.evaluate(() => app.write('after'));
      await waitForSyncedAll(page);
      expect(await page.evaluate(() => app.names())).toEqual(['after', 'saved']);
      await page.reload();
      await page.waitForFunction(() => typeof (window as { app?: unknown }).app === 'object');
      expect(await page.evaluate(() => app.names())).toEqual(['after', 'saved']);
      const onServer = serverNames(tenant);
      expect([...onServer.keys()].sort()).toEqual(['after', 'saved']);
      expect([...onServer.values()].every((n) => n === 1)).toBe(true);
      // No cache mismatch ("Record ID … was sent over the bridge, but it's not cached"), no other error.
      expect(consoleErrors.filter((e) => !e.includes('simulated IndexedDB failure'))).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);

  it('going back online in the page triggers a sync', async () => {
    const tenant = 'offline';
    const browser = await launchProfile();
    try {
      const page = await browser.context.newPage();
      await openApp(page, tenant);
      await page.waitForFunction(() => app.leader && app.reports().length > 0);
      await browser.context.setOffline(true);
      await page.waitForFunction(() => !navigator.onLine);
      await page.evaluate(() => app.write('written offline'));
      expect((await page.evaluate(() => app.sync())).error).toBe('offline');
      expect(serverNames(tenant).has('written offline')).toBe(false);
      await browser.context.setOffline(false);
      await page.waitForFunction(() => app.reports().some((r) => r.trigger === 'networkRegained' && r.ok && r.pushed === 1), undefined, {
        timeout: 20_000,
      });
      expect(serverNames(tenant).get('written offline')).toBe(1);
    } finally {
      await browser.close();
    }
  }, 120_000);
});

describe('web migration in Chromium', () => {
  interface MigratePage {
    errors: string[];
    writeV1(titles: string[]): Promise<void>;
    rows(table: string): Promise<Record<string, unknown>[]>;
  }
  const open = async (p: Page, query: string) => {
    await p.goto(`${site.origin}/migrate.html?${query}`);
    await p.waitForFunction(() => typeof (window as { page?: unknown }).page === 'object');
  };
  const rows = (p: Page, table: string) => p.evaluate((t) => (window as unknown as { page: MigratePage }).page.rows(t), table);

  it('v1 → v2 with a table and a column rename keeps the rows of a LokiJS database (webMigrationSteps); without them they are gone', async () => {
    const browser = await launchProfile();
    try {
      const p = await browser.context.newPage();
      for (const variant of ['', '&noweb']) {
        const db = variant ? 'without_steps' : 'with_steps';
        await open(p, `version=1&db=${db}`);
        await p.evaluate(() => (window as unknown as { page: MigratePage }).page.writeV1(['first', 'second!']));
        expect((await rows(p, 'tasks')).map((r) => r.title).sort()).toEqual(['first', 'second!']);
        await open(p, `version=2&db=${db}${variant}`);
        if (!variant) {
          const todos = await rows(p, 'todos');
          expect(todos.map((r) => [r.heading, r.done]).sort()).toEqual([
            ['first', false],
            ['second!', true],
          ]);
          expect(todos.every((r) => !('title' in r))).toBe(true);
          expect(await p.evaluate(() => (window as unknown as { page: MigratePage }).page.errors)).toEqual([]);
          // Reopened: the migration was saved, the rows stay.
          await open(p, `version=2&db=${db}`);
          expect((await rows(p, 'todos')).map((r) => r.heading).sort()).toEqual(['first', 'second!']);
        } else {
          // WatermelonDB alone skips the SQL-only rename: the table `todos` is missing on LokiJS.
          await expect(rows(p, 'todos')).rejects.toThrow();
        }
      }
    } finally {
      await browser.close();
    }
  }, 120_000);
});

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
// esbuild comes with vite and tsx (devDependencies).
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchProfile } from './support/browser';

// The web file store in real Chromium: an attached File is copied into
// IndexedDB, survives a reload of the page (a File object does not), is read
// back byte for byte and released (docs/PROTOCOL.md "Media").

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
let origin: string;
let close: () => Promise<void>;
let browser: Awaited<ReturnType<typeof launchProfile>>;

beforeAll(async () => {
  const bundle = await build({
    stdin: {
      contents: `import { indexedDbFileStore } from './runtime/client/browser/indexedDbFileStore';\nwindow.store = indexedDbFileStore();`,
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    write: false,
  });
  const script = bundle.outputFiles[0]!.text;
  const http = createServer((req, res) => {
    if (req.url === '/store.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><script src="/store.js"></script>');
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  close = () => new Promise((r) => http.close(() => r()));
  browser = await launchProfile();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await close?.();
});

describe('indexedDbFileStore', () => {
  it('keeps a File across a reload, reads it back byte for byte, releases it; refuses a path', async () => {
    const page = await browser.context.newPage();
    await page.goto(origin);
    await page.waitForFunction(() => 'store' in window);
    const kept = await page.evaluate(async () => {
      const bytes = new Uint8Array(300_000).map((_, i) => (i * 7) % 256);
      const file = new File([bytes], 'receipt.png', { type: 'image/png' });
      const store = (window as unknown as { store: import('../../runtime/client/index').FileStore }).store;
      const refused = await store.keep('u0', '/tmp/x').then(
        () => null,
        (e: Error) => e.message,
      );
      return { stored: await store.keep('u1', file), refused };
    });
    expect(kept).toEqual({
      stored: { ref: 'idb:u1', size: 300_000, contentType: 'image/png', owned: true },
      refused: 'on the web, attach a Blob or File (there are no file paths)',
    });
    await page.reload();
    await page.waitForFunction(() => 'store' in window);
    const after = await page.evaluate(async () => {
      const store = (window as unknown as { store: import('../../runtime/client/index').FileStore }).store;
      const blob = await store.blob('idb:u1');
      const bytes = new Uint8Array(await blob.arrayBuffer());
      const intact = bytes.every((b, i) => b === (i * 7) % 256);
      await store.release('idb:u1');
      const gone = await store.blob('idb:u1').then(
        () => 'still there',
        (e: Error) => e.name,
      );
      return { size: blob.size, type: blob.type, intact, gone };
    });
    expect(after).toEqual({ size: 300_000, type: 'image/png', intact: true, gone: 'MissingFileError' });
  });
});

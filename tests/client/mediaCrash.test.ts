import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UploadEntry } from '../../runtime/client/index';
import { type CuttingProxy, FILE_FIELD, type TusTestServer, startCuttingProxy, startTusServer, stubKey } from './support/media';
import type { MediaLifeConfig } from './support/mediaDevice';
import { startTestServer, type TestServer } from './support/server';

// An upload interrupted by a real SIGKILL (the device in a child process,
// WatermelonDB on a database file) and restarted on the same file: it resumes
// the same tus upload from the server's offset, re-sending no acknowledged
// byte, and ends with one complete object whose key the server's record holds.

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CHILD = join(ROOT, 'tests/client/support/mediaDevice.ts');
const MB = 1024 * 1024;

let dir: string;
let server: TestServer;
let tusServer: TusTestServer;
let proxy: CuttingProxy;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trackhub-media-crash-'));
  mkdirSync(join(dir, 'tus'));
  server = await startTestServer();
  tusServer = await startTusServer(join(dir, 'tus'));
  proxy = await startCuttingProxy({ host: '127.0.0.1', port: Number(new URL(tusServer.url).port) });
});
afterAll(async () => {
  await proxy?.close();
  await tusServer?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Life {
  killedAt: number | null;
  uploadId: string | null;
  done: { upload: UploadEntry; synced: boolean } | null;
}

function live(config: MediaLifeConfig): Promise<Life> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(config)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const kill = /^KILL (\d+)$/m.exec(out);
      const done = /^DONE (.*)$/m.exec(out);
      if (kill ? signal !== 'SIGKILL' : code !== 0 || !done) {
        reject(new Error(`device life ended with ${code ?? signal}\n${out}\n${err}`));
        return;
      }
      resolvePromise({
        killedAt: kill ? Number(kill[1]) : null,
        uploadId: /^ATTACHED (\S+)$/m.exec(out)?.[1] ?? null,
        done: done ? (JSON.parse(done[1]!) as Life['done']) : null,
      });
    });
  });
}

describe('an upload across process kills', () => {
  it('killed twice mid-upload (SIGKILL), restarted on the same database: resumes, no acknowledged byte re-sent, one object, the key on the server', async () => {
    const tenant = `crash${process.pid}`;
    const bytes = randomBytes(5 * MB);
    const path = join(dir, 'photo.bin');
    writeFileSync(path, bytes);
    const base = {
      syncUrl: server.url,
      tusUrl: `${proxy.origin}/files`,
      tenant,
      dbFile: join(dir, 'device.db'),
      filesDir: join(dir, 'files'),
    };
    // Kill points drawn from the file's random bytes: one in the first 2.5 MB, one in the rest.
    const first = 300_000 + ((bytes[0]! * 256 + bytes[1]!) % 2_200_000);
    const second = 300_000 + ((bytes[2]! * 256 + bytes[3]!) % 2_000_000);
    const before = proxy.bytesUp;
    const lives = [
      await live({ ...base, attach: path, killAtSent: first }),
      await live({ ...base, killAtSent: first + second }),
      await live({ ...base, killAtSent: null }),
    ];
    expect(lives.map((l) => l.killedAt !== null)).toEqual([true, true, false]);
    const uploadId = lives[0]!.uploadId!;
    const done = lives[2]!.done!;
    const key = stubKey(tenant, uploadId);
    expect(done.synced).toBe(true);
    expect(done.upload).toMatchObject({ id: uploadId, status: 'done', key, bytesSent: 5 * MB });
    expect(readFileSync(join(dir, 'tus', key)).equals(bytes)).toBe(true);
    expect(tusServer.objects()).toEqual([key]);
    // The file crossed the proxy once, plus headers of ≈ 12 requests and, per kill, what sat in socket buffers.
    const overhead = proxy.bytesUp - before - 5 * MB;
    expect(overhead).toBeGreaterThan(0);
    expect(overhead).toBeLessThan(32 * 1024 + 2 * 64 * 1024);
    const records = await server.records(tenant, 'Task');
    expect(records).toMatchObject([{ title: 'crash', [FILE_FIELD]: key }]);
    expect(await tusServer.exists(key)).toBe(true);
    console.info(`media crash: kills after ${first} and ${first + second} bytes sent; overhead ${overhead} bytes over ${5 * MB}`);
  });
});

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

// `npm run example:server` as a user runs it: a separate process on a free port, stopped by SIGTERM.
it('the example server starts from the command line, serves the sync API and stops on SIGTERM', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'trackhub-example-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/trackhub-core/server/main.ts', '--port', '0', '--db', join(dir, 'dev.db')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no URL printed:\n${out}`)), 30_000);
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /(http:\/\/127\.0\.0\.1:\d+\/graphql)/.exec(out);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${out}`)));
    });
    const post = async (query: string, auth?: string) => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (auth) headers.authorization = auth;
      return (await (await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query }) })).json()) as {
        data?: Record<string, unknown>;
        errors?: { extensions?: { code?: string } }[];
      };
    };
    const pushed = await post(
      'mutation { syncPushSpace(items: [{ opId: "op-1", op: create, clientId: "c-1", data: { name: "hello" } }]) { success } }',
      'Bearer dev:t1:u1',
    );
    expect(pushed.data).toEqual({ syncPushSpace: [{ success: true }] });
    const pulled = await post('{ syncPullSpace { items { name tenantId } hasMore } }', 'Bearer dev:t1:u1');
    expect(pulled.data).toEqual({ syncPullSpace: { items: [{ name: 'hello', tenantId: 't1' }], hasMore: false } });
    expect((await post('{ syncPullSpace { hasMore } }')).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
  expect(child.exitCode).toBe(0);
});

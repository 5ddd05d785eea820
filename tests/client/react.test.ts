// @vitest-environment happy-dom
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { createElement } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SyncEngineProvider, useConflicts, usePendingCount, useRecordSyncState, useSyncStatus } from '../../runtime/react/index';
import { GraphqlTransport } from '../../runtime/client/index';
import { openDevice, type Device } from './support/device';

// The React bindings against a real engine: WatermelonDB on the SQLite adapter, the real example
// server. The server runs in its own process: the DOM environment replaces globals (URL) it needs.

let child: ChildProcess;
let url: string;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trackhub-react-'));
  child = spawn(process.execPath, ['--import', 'tsx', 'examples/trackhub-core/server/main.ts', '--port', '0', '--db', join(dir, 'server.db')], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /(http:\/\/\S+\/graphql)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)));
  });
});
afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => cleanup());

const server = {
  transport: (tenantId: string) => new GraphqlTransport({ url, headers: () => ({ authorization: `Bearer dev:${tenantId}:tester` }) }),
};

let tenantCounter = 0;
const newTenant = () => `react${process.pid}x${++tenantCounter}`;

function SyncPanel(props: { taskId: string | null }) {
  const status = useSyncStatus();
  const pending = usePendingCount();
  const conflicts = useConflicts();
  const state = useRecordSyncState('Task', props.taskId);
  return createElement(
    'ul',
    null,
    createElement('li', { 'data-testid': 'status' }, status.state),
    createElement('li', { 'data-testid': 'pending' }, String(pending)),
    createElement('li', { 'data-testid': 'conflicts' }, conflicts.map((c) => `${c.entity}:${c.conflictType}`).join(',')),
    createElement('li', { 'data-testid': 'record' }, String(state)),
  );
}

function show(d: Device, taskId: string | null) {
  return render(createElement(SyncEngineProvider, { engine: d.engine }, createElement(SyncPanel, { taskId })));
}

const text = (id: string) => screen.getByTestId(id).textContent;

describe('React hooks on a real engine', () => {
  it('useSyncStatus, usePendingCount, useRecordSyncState and useConflicts follow the engine', async () => {
    const tenant = newTenant();
    const a = openDevice('A', { tenantId: tenant, transport: server.transport(tenant) });
    const b = openDevice('B', { tenantId: tenant, transport: server.transport(tenant) });
    const space = await a.adapters.space.create({ name: 's' });
    const task = await a.adapters.task.create({ title: 'v0', spaceId: space.id });
    show(a, task.id);
    await waitFor(() => expect(text('pending')).toBe('2'));
    expect(text('record')).toBe('pending');
    expect(text('status')).toBe('idle');

    await act(() => a.engine.sync());
    await waitFor(() => expect(text('record')).toBe('synced'));
    expect(text('pending')).toBe('0');
    expect(text('status')).toBe('idle');

    // Task is `manual`: B's earlier edit makes A's stale one a conflict.
    await b.engine.sync();
    await b.adapters.task.update(task.serverId!, { title: 'B' });
    await b.engine.sync();
    await act(() => a.adapters.task.update(task.id, { title: 'A' }).then(() => undefined));
    await waitFor(() => expect(text('record')).toBe('pending'));
    await act(() => a.engine.sync());
    await waitFor(() => expect(text('conflicts')).toBe('Task:VERSION_MISMATCH'));
    expect(text('record')).toBe('conflict');

    const [conflict] = await a.engine.listConflicts();
    await act(() => a.engine.resolveConflict(conflict!.id, { kind: 'useServer' }));
    await waitFor(() => expect(text('conflicts')).toBe(''));
    await waitFor(() => expect(text('record')).toBe('synced'));
    expect(text('pending')).toBe('0');
  });

  it('without a record id the state is null; without an engine the hooks say how to provide one', () => {
    const tenant = newTenant();
    const a = openDevice('A', { tenantId: tenant, transport: server.transport(tenant) });
    show(a, null);
    expect(text('record')).toBe('null');
    cleanup();
    const quiet = console.error;
    console.error = () => {};
    try {
      expect(() => render(createElement(SyncPanel, { taskId: null }))).toThrow(/SyncEngineProvider/);
    } finally {
      console.error = quiet;
    }
  });
});

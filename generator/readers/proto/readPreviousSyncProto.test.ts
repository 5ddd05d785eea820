import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readPreviousSyncProto } from './readPreviousSyncProto';

describe('readPreviousSyncProto', () => {
  let out: string;
  const put = (path: string, text: string) => {
    mkdirSync(dirname(join(out, path)), { recursive: true });
    writeFileSync(join(out, path), text);
  };

  beforeEach(() => {
    out = mkdtempSync(join(tmpdir(), 'trackhub-previous-sync-'));
  });
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  it('is null without an output folder or without a sync.proto in it', () => {
    expect(readPreviousSyncProto(join(out, 'missing'), 'trackhub.sync.v1')).toBeNull();
    put('proto/other.proto', 'x');
    put('server/sync.proto', 'not under proto/');
    expect(readPreviousSyncProto(out, 'trackhub.sync.v1')).toBeNull();
  });

  it("reads the file at the package's folder", () => {
    put('proto/trackhub/sync/v1/sync.proto', 'current');
    expect(readPreviousSyncProto(out, 'trackhub.sync.v1')).toEqual({ path: 'proto/trackhub/sync/v1/sync.proto', text: 'current' });
  });

  it("prefers the package's folder over any other sync.proto", () => {
    put('proto/sync.proto', 'legacy');
    put('proto/acme/sync/v1/sync.proto', 'other package');
    put('proto/trackhub/sync/v1/sync.proto', 'current');
    expect(readPreviousSyncProto(out, 'trackhub.sync.v1')?.text).toBe('current');
  });

  it('finds the older proto/sync.proto layout', () => {
    put('proto/sync.proto', 'legacy');
    expect(readPreviousSyncProto(out, 'trackhub.sync.v1')).toEqual({ path: 'proto/sync.proto', text: 'legacy' });
  });

  it('finds the file of a previous package, first by path when several', () => {
    put('proto/zeta/v1/sync.proto', 'zeta');
    put('proto/acme/sync/v1/sync.proto', 'acme');
    expect(readPreviousSyncProto(out, 'trackhub.sync.v2')).toEqual({ path: 'proto/acme/sync/v1/sync.proto', text: 'acme' });
  });
});

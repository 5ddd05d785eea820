import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SYNC_PROTO_PATH } from '../../targets/proto/layout';

/**
 * The `sync.proto` generated last time, from the output folder, or null.
 * Its field numbers are kept on regeneration so that the wire never breaks.
 */
export function readPreviousSyncProto(outDir: string): string | null {
  const path = join(outDir, SYNC_PROTO_PATH);
  return existsSync(path) ? readFileSync(path, 'utf8') : null;
}

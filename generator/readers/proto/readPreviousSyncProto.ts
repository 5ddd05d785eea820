import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PROTO_DIR, SYNC_PROTO_FILE, syncProtoPath } from '../../targets/proto/layout';

/** A `sync.proto` found in the output folder. */
export interface PreviousSyncProto {
  /** POSIX path relative to the output folder (`proto/trackhub/sync/v1/sync.proto`). */
  path: string;
  text: string;
}

/**
 * The `sync.proto` generated last time, from the output folder, or null.
 * Its field numbers are kept on regeneration so that the wire never breaks.
 *
 * The file is looked up where this package puts it; failing that, any
 * `sync.proto` under the output's `proto/` folder is taken (first by path),
 * so the numbers survive a change of `proto.package` and the move from the
 * older `proto/sync.proto` layout. The output folder is owned by
 * trackhub-sync, so after a run it holds exactly one.
 */
export function readPreviousSyncProto(outDir: string, pkg: string): PreviousSyncProto | null {
  const expected = syncProtoPath(pkg);
  const path = existsSync(join(outDir, expected)) ? expected : syncProtosUnder(outDir, PROTO_DIR)[0];
  return path === undefined ? null : { path, text: readFileSync(join(outDir, path), 'utf8') };
}

/** Every `sync.proto` under `outDir/sub`, as POSIX paths relative to `outDir`, sorted. */
function syncProtosUnder(outDir: string, sub: string): string[] {
  const dir = join(outDir, sub);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const rel = `${sub}/${entry.name}`;
      if (entry.isDirectory()) return syncProtosUnder(outDir, rel);
      return entry.isFile() && entry.name === SYNC_PROTO_FILE ? [rel] : [];
    })
    .sort();
}

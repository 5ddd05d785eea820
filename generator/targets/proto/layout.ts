/** Folder of the proto target's output under the output folder (README "Output layout", `proto/`); a buf module root. */
export const PROTO_DIR = 'proto';

/** File name of the emitted service definition. */
export const SYNC_PROTO_FILE = 'sync.proto';

/**
 * Path of the emitted service definition under the output folder: the
 * package's directory under `proto/` (`trackhub.sync.v1` ->
 * `proto/trackhub/sync/v1/sync.proto`), so that `proto/` is a buf module
 * root meeting STANDARD lint, PACKAGE_DIRECTORY_MATCH included.
 */
export function syncProtoPath(pkg: string): string {
  return `${PROTO_DIR}/${pkg.split('.').join('/')}/${SYNC_PROTO_FILE}`;
}

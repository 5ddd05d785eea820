/** Path of the emitted service definition under the output folder (SPEC §8 `proto/`). */
export const SYNC_PROTO_PATH = 'proto/sync.proto';

import { join } from 'node:path';
import { resolveConfig } from '../../../generator/config';
import type { GeneratedFile } from '../../../generator/emit/generatedFile';
import { runPipeline } from '../../../generator/pipeline';
import { PROTO_DIR, syncProtoPath } from '../../../generator/targets/proto/layout';
import { GOLDEN_ROOT } from '../../support/golden';

/** The golden case whose proto inputs cover every construct the editor must keep. */
export const EDIT_CASE = join(GOLDEN_ROOT, 'proto-edit');
/** Folder of the case's original .proto files (the buf module root). */
export const EDIT_CASE_PROTOS = join(EDIT_CASE, 'input/proto');

export interface ProtoRun {
  /** Edited user files by path relative to the proto module root (`acme/tasks/v1/task.proto`). */
  edited: Record<string, string>;
  syncProto: string;
  /** Where sync.proto sits in the output's `proto/` folder, the buf module root (`trackhub/sync/v1/sync.proto`). */
  syncProtoModulePath: string;
}

/** Run the real pipeline on the golden case, in memory (nothing is written). */
export async function runEditCase(): Promise<ProtoRun> {
  const config = await resolveConfig({ config: join(EDIT_CASE, 'trackhub-sync.config.json') }, EDIT_CASE);
  const { files } = runPipeline(config);
  return split(files, config.proto.package);
}

export function split(files: readonly GeneratedFile[], pkg: string): ProtoRun {
  const edited: Record<string, string> = {};
  const path = syncProtoPath(pkg);
  let syncProto = '';
  for (const file of files) {
    if (file.external) edited[file.path.replace(/^input\/proto\//, '')] = file.contents;
    else if (file.path === path) syncProto = file.contents;
  }
  return { edited, syncProto, syncProtoModulePath: path.slice(`${PROTO_DIR}/`.length) };
}

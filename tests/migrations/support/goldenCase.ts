import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig } from '../../../generator/config';
import { writeOutput } from '../../../generator/emit/write';
import { runPipeline } from '../../../generator/pipeline';
import { GOLDEN_ROOT } from '../../support/golden';

/**
 * The migration golden cases (tests/golden/migrate-*) hold two schemas:
 * `previous/schema.prisma`, whose snapshot (0001.json) sits in the case's
 * migration history (`trackhub-sync/migrations/`) as the committed state, and
 * `input/schema.prisma`, the changed schema. The golden runner checks the
 * expected tree is stable; this replays how it came about: generate
 * `previous`, then generate `input` on top of it.
 */
export function migrationCases(): string[] {
  return readdirSync(GOLDEN_ROOT)
    .filter((name) => name.startsWith('migrate-') && existsSync(join(GOLDEN_ROOT, name, 'previous')))
    .sort();
}

export interface Replay {
  /** The output folder after both runs. */
  out: string;
  /** The migration history folder after both runs. */
  history: string;
  renames: Record<string, string>;
  /** The DiagnosticsError of the second run, if it failed. */
  error: unknown;
}

/**
 * Replay a case in `workDir` (a copy of its inputs): generate previous, then
 * input. The watermelon/ code of each run is kept in code-v1/ and code-v2/.
 */
export async function replayCase(name: string, workDir: string): Promise<Replay> {
  const caseDir = join(GOLDEN_ROOT, name);
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  for (const entry of ['trackhub-sync.config.json', 'previous', 'input']) cpSync(join(caseDir, entry), join(workDir, entry), { recursive: true });
  const configFile = join(workDir, 'trackhub-sync.config.json');
  const previous = await resolveConfig({ config: configFile, schema: [join(workDir, 'previous/schema.prisma')] }, workDir);
  writeOutput(runPipeline(previous).files, previous.out, previous.baseDir);
  cpSync(join(previous.out, 'watermelon'), join(workDir, 'code-v1/watermelon'), { recursive: true });
  const current = await resolveConfig({ config: configFile }, workDir);
  try {
    writeOutput(runPipeline(current).files, current.out, current.baseDir);
  } catch (error) {
    return { out: current.out, history: current.migrations.history, renames: current.migrations.renames, error };
  }
  cpSync(join(current.out, 'watermelon'), join(workDir, 'code-v2/watermelon'), { recursive: true });
  return { out: current.out, history: current.migrations.history, renames: current.migrations.renames, error: null };
}

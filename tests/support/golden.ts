import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig } from '../../generator/config';
import { DiagnosticsError, formatDiagnostic, sortDiagnostics } from '../../generator/diagnostics';
import { compareTree } from '../../generator/emit/compare';
import type { GeneratedFile } from '../../generator/emit/generatedFile';
import { MANIFEST_PATH, manifestFile } from '../../generator/emit/manifest';
import { writeOutput } from '../../generator/emit/write';
import { runPipeline } from '../../generator/pipeline';

export const GOLDEN_ROOT = new URL('../golden/', import.meta.url).pathname;
export const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** Case folders: each holds `trackhub-sync.config.json` and either `expected/` or `diagnostics.txt`. */
export function goldenCases(): string[] {
  return readdirSync(GOLDEN_ROOT, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(GOLDEN_ROOT, e.name, 'trackhub-sync.config.json')))
    .map((e) => e.name)
    .sort();
}

export type GoldenOutcome = { kind: 'files'; problems: string; irJson: string } | { kind: 'diagnostics'; actual: string; expected: string | null };

/**
 * Run a case through the same pipeline as the CLI. With UPDATE_GOLDEN=1 the
 * expected tree (or diagnostics.txt, ir.json) is rewritten instead.
 */
export async function runGoldenCase(name: string, root = GOLDEN_ROOT): Promise<GoldenOutcome> {
  const dir = join(root, name);
  const config = await resolveConfig({ config: join(dir, 'trackhub-sync.config.json') }, dir);
  const diagnosticsFile = join(dir, 'diagnostics.txt');
  try {
    const result = runPipeline(config);
    const files = expectedTree(result.files);
    const irJson = `${JSON.stringify(result.ir, null, 2)}\n`;
    if (UPDATE) {
      writeOutput(files, config.out, config.baseDir);
      writeFileSync(join(dir, 'ir.json'), irJson);
    }
    const cmp = compareTree(files, config.out, config.baseDir);
    const problems = cmp.stale.length + cmp.missing.length + cmp.orphans.length === 0 ? '' : cmp.diff;
    return { kind: 'files', problems, irJson };
  } catch (error) {
    if (!(error instanceof DiagnosticsError)) throw error;
    const actual = `${sortDiagnostics(error.diagnostics).map(formatDiagnostic).join('\n')}\n`;
    if (UPDATE) writeFileSync(diagnosticsFile, actual);
    return { kind: 'diagnostics', actual, expected: existsSync(diagnosticsFile) ? readFileSync(diagnosticsFile, 'utf8') : null };
  }
}

/**
 * External files (user `.proto` files edited in place) would overwrite the
 * case's inputs; in a golden case they are compared inside the expected tree
 * instead, under `external/<path relative to the case>`, and the manifest
 * lists them there. Migration history files stay where they are: the case's
 * `trackhub-sync/migrations/` is its committed history.
 */
function expectedTree(generated: readonly GeneratedFile[]): GeneratedFile[] {
  const files = generated
    .filter((f) => f.path !== MANIFEST_PATH)
    .map((file) => (file.external ? { path: `external/${file.path}`, contents: file.contents } : file));
  return [...files, manifestFile(files)];
}

import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateCommand } from '../../../generator/cli/generateCommand';
import type { GeneratedWatermelon } from '../../support/watermelon';
import { SCHEMAS } from './schemas';

// Generated code is imported by the tests, so it must live inside the
// repository (bare imports resolve from node_modules); .tmp/ is git-ignored.
const TMP_ROOT = new URL('../../../.tmp/', import.meta.url).pathname;

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * A mini-app repository in a temp folder: `schema.prisma`, the generated
 * `gen/` output and the migration history `trackhub-sync/migrations/`, regenerated version after version through the real CLI
 * command. After each successful run the `watermelon/` folder is copied to
 * `code-v<N>/` so several app releases can be loaded side by side.
 */
export class MigrationWorkspace {
  readonly root: string;

  constructor(name: string) {
    this.root = join(TMP_ROOT, `migrations-${name}-${process.pid}`);
    rmSync(this.root, { recursive: true, force: true });
    mkdirSync(this.root, { recursive: true });
    // WatermelonDB models use legacy decorators: the repository's compiler options
    // must cover the generated files too (tsx applies a tsconfig to the files it includes).
    writeFileSync(join(this.root, 'tsconfig.json'), `${JSON.stringify({ extends: '../../tsconfig.json', include: ['**/*.ts'] }, null, 2)}\n`);
  }

  get out(): string {
    return join(this.root, 'gen');
  }

  /** The migration history folder (the default, beside the working folder: there is no config file). */
  get history(): string {
    return join(this.root, 'trackhub-sync/migrations');
  }

  /** Write release `index` (0-based in SCHEMAS) of the schema and run `trackhub-sync generate`. */
  async generate(index: number, flags: { allowDestructive?: boolean; check?: boolean } = {}): Promise<RunResult> {
    writeFileSync(join(this.root, 'schema.prisma'), SCHEMAS[index]!);
    const stdout: string[] = [];
    const stderr: string[] = [];
    const exitCode = await generateCommand(
      { schema: ['schema.prisma'], out: 'gen', ...flags },
      { cwd: this.root, stdout: (t) => stdout.push(t), stderr: (t) => stderr.push(t) },
    );
    return { exitCode, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
  }

  /** Generate release `index`, expect success, keep a copy of its code; returns the schema version. */
  async release(index: number, flags: { allowDestructive?: boolean } = {}): Promise<number> {
    const result = await this.generate(index, flags);
    if (result.exitCode !== 0) throw new Error(`generate failed (${result.exitCode}):\n${result.stderr}`);
    const version = Number(/SCHEMA_VERSION = (\d+);/.exec(readFileSync(join(this.out, 'watermelon/schema.ts'), 'utf8'))![1]);
    cpSync(join(this.out, 'watermelon'), join(this.root, `code-v${version}`, 'watermelon'), { recursive: true });
    return version;
  }

  /** The generated code of schema version `version`, loaded as the app would load it. */
  async load(version: number): Promise<GeneratedWatermelon & { repullAfterMigration: Record<number, readonly string[]> }> {
    return this.importer(join(this.root, `code-v${version}`, 'watermelon/index.ts'));
  }

  /** How generated code is imported: vitest transforms it; plain tsx scripts pass tsx's tsImport (see bench/). */
  importer: (path: string) => Promise<never> = (path) => import(path) as Promise<never>;

  /** Every file under the output folder with its bytes, to prove a failed run wrote nothing. */
  outputBytes(): Record<string, string> {
    return folderBytes(this.out);
  }

  /** Every file of the migration history with its bytes. */
  historyBytes(): Record<string, string> {
    return folderBytes(this.history);
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

function folderBytes(root: string): Record<string, string> {
  const walk = (dir: string, prefix: string): [string, string][] =>
    existsSync(dir)
      ? readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
          e.isDirectory()
            ? walk(join(dir, e.name), `${prefix}${e.name}/`)
            : [[`${prefix}${e.name}`, readFileSync(join(dir, e.name), 'utf8')] as [string, string]],
        )
      : [];
  return Object.fromEntries(walk(root, ''));
}

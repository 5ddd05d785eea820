import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { distBin, sample, stats, type BenchModule } from './support';
import { syntheticPrisma } from './synthetic';

// The integrations and scaffolding commands on a synthetic 200-model schema,
// whole processes, wall clock: `prisma generate` running the trackhub-sync
// generator beside the same command running a generator that does nothing
// (what Prisma itself costs) and `trackhub-sync generate` on the same schema;
// `doctor` / `doctor --fix` on a schema missing the change sequence and both
// indexes on every model. The compiled bins, as users run them (built first
// when missing).

const MODELS = Number(process.env.BENCH_MODELS ?? 200);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const repo = fileURLToPath(new URL('..', import.meta.url));

function run(command: string, args: string[], cwd: string, okStatus = [0]): void {
  const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true', PRISMA_HIDE_UPDATE_MESSAGE: '1', NO_COLOR: '1' };
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env });
  if (!okStatus.includes(result.status ?? -1)) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
}

const bench: BenchModule = {
  title: `integrations: ${MODELS}-model schema, whole process, wall clock (${RUNS} runs)`,
  async run() {
    mkdirSync(join(repo, '.tmp'), { recursive: true });
    const dir = mkdtempSync(join(repo, '.tmp', 'bench-integrations-'));
    try {
      const cli = distBin('trackhub-sync');
      const prismaGenerator = distBin('prisma-generator');
      const generator = `generator sync {\n  provider = "node ${prismaGenerator}"\n  output   = "./from-prisma"\n}\n`;
      writeFileSync(join(dir, 'schema.prisma'), syntheticPrisma(MODELS, generator));
      const viaPrisma = stats(await sample(RUNS, () => run(join(repo, 'node_modules/.bin/prisma'), ['generate', '--schema', 'schema.prisma'], dir)));
      const viaCli = stats(await sample(RUNS, () => run(process.execPath, [cli, 'generate', '--schema', 'schema.prisma', '--out', 'from-cli'], dir)));
      // Prisma's own floor: the same schema with a generator that does nothing
      // (Prisma builds the DMMF and sends it to every generator).
      writeFileSync(
        join(dir, 'noop.mjs'),
        "import helper from '@prisma/generator-helper';\nhelper.generatorHandler({ onManifest: () => ({}), onGenerate: async () => {} });\n",
      );
      writeFileSync(
        join(dir, 'noop.prisma'),
        syntheticPrisma(MODELS, `generator noop {\n  provider = "node ${join(dir, 'noop.mjs')}"\n  output   = "./noop"\n}\n`),
      );
      const noop = stats(await sample(RUNS, () => run(join(repo, 'node_modules/.bin/prisma'), ['generate', '--schema', 'noop.prisma'], dir)));

      const broken = syntheticPrisma(MODELS).replace(/\n {2}@@index\(\[tenantId, updatedAt, id\]\)/g, '');
      writeFileSync(join(dir, 'clean.prisma'), broken);
      run(process.execPath, [cli, 'doctor', '--schema', 'clean.prisma', '--fix'], dir);
      const doctor = stats(await sample(RUNS, () => run(process.execPath, [cli, 'doctor', '--schema', 'clean.prisma'], dir)));
      const fix = stats(
        await sample(RUNS, () => {
          writeFileSync(join(dir, 'broken.prisma'), broken);
          run(process.execPath, [cli, 'doctor', '--schema', 'broken.prisma', '--fix'], dir);
        }),
      );
      return [
        {
          case: 'prisma generate → trackhub-sync generator',
          ours: viaPrisma.text,
          baseline: `prisma generate → no-op generator: ${noop.text}`,
          note: "Prisma's floor",
        },
        { case: 'trackhub-sync generate (same files)', ours: viaCli.text, baseline: '—' },
        { case: 'doctor (clean schema)', ours: doctor.text, baseline: `trackhub-sync generate: ${viaCli.text}` },
        { case: `doctor --fix (${MODELS * 3} insertions)`, ours: fix.text, baseline: `doctor: ${doctor.text}` },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;

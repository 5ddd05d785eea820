import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sample, stats, type BenchModule } from './support';
import { syntheticPrisma, syntheticSdl } from './synthetic';

// The whole `trackhub-sync generate` process (all targets) on a synthetic
// 200-model schema, beside `prisma generate` (prisma-client generator) and
// graphql-codegen's typescript plugin on the same schema, wall clock.

const MODELS = Number(process.env.BENCH_MODELS ?? 200);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const repo = fileURLToPath(new URL('..', import.meta.url));
const bin = (name: string) => join(repo, 'node_modules/.bin', name);

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): void {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
}

const bench: BenchModule = {
  title: `generate: ${MODELS}-model schema, whole process, wall clock (${RUNS} runs)`,
  async run() {
    // Inside the repository: graphql-codegen resolves its plugins from the working folder.
    mkdirSync(join(repo, '.tmp'), { recursive: true });
    const dir = mkdtempSync(join(repo, '.tmp', 'bench-generate-'));
    try {
      mkdirSync(join(dir, 'prisma'));
      writeFileSync(join(dir, 'prisma/schema.prisma'), syntheticPrisma(MODELS));
      writeFileSync(join(dir, 'schema.graphql'), syntheticSdl(MODELS));
      writeFileSync(
        join(dir, 'prisma-gen.prisma'),
        syntheticPrisma(MODELS, `generator client {\n  provider = "prisma-client"\n  output   = "./prisma-client"\n}\n`),
      );
      const directives = readFileSync(join(repo, 'schema/directives.graphql'), 'utf8');
      writeFileSync(join(dir, 'codegen-schema.graphql'), syntheticSdl(MODELS, directives));
      writeFileSync(
        join(dir, 'codegen.json'),
        JSON.stringify({ overwrite: true, schema: 'codegen-schema.graphql', generates: { 'codegen-out/types.ts': { plugins: ['typescript'] } } }),
      );

      const cli = join(repo, 'bin/trackhub-sync.mjs');
      const ours = {
        prisma: stats(
          await sample(RUNS, () => run(process.execPath, [cli, 'generate', '--schema', 'prisma/schema.prisma', '--out', 'out-prisma'], dir)),
        ),
        sdl: stats(await sample(RUNS, () => run(process.execPath, [cli, 'generate', '--schema', 'schema.graphql', '--out', 'out-sdl'], dir))),
      };
      const prismaGenerate = stats(
        await sample(RUNS, () =>
          run(bin('prisma'), ['generate', '--schema', 'prisma-gen.prisma'], dir, {
            PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true',
            PRISMA_HIDE_UPDATE_MESSAGE: '1',
          }),
        ),
      );
      const codegen = stats(await sample(RUNS, () => run(bin('graphql-codegen'), ['--config', 'codegen.json', '--silent'], dir)));
      const files = spawnSync('find', ['out-prisma', '-type', 'f'], { cwd: dir, encoding: 'utf8' }).stdout.trim().split('\n').length;
      return [
        { case: `Prisma input → ${files} files`, ours: ours.prisma.text, baseline: `prisma generate: ${prismaGenerate.text}`, note: 'target: < 2 s' },
        { case: 'SDL input', ours: ours.sdl.text, baseline: `graphql-codegen (typescript): ${codegen.text}`, note: 'target: < 2 s' },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;

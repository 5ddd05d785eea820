import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { distBin, formatMs, sample, stats, type BenchModule } from './support';
import { syntheticPrisma, syntheticSdl } from './synthetic';

// The whole `trackhub-sync generate` process (all targets) on a synthetic
// 200-model schema, as users run it: the compiled package's bin
// (dist/bin/trackhub-sync.js; built first when missing), beside, in the same
// run: `prisma generate` (prisma-client generator) and graphql-codegen's
// typescript plugin on the same schema, and the floors of any generator
// process: `node -e 0` and a trivial generator (reads the schema, writes one
// file per model). The development bin (TypeScript through tsx) is shown too.
// The first row re-generates into the same folder: after two warm-up runs every
// file is unchanged and the run is answered from the kept run
// (generator/emit/renderCache.ts). Beside it: a run after a schema edit
// (everything rendered, the changed files parsed and written), the unchanged
// run with every cache off, and the empty-folder row, which writes and parses
// every file, with TypeScript's code cache warm after the first run.

/** The trivial generator: a Node process that reads the schema and writes one small file per model. */
const TRIVIAL = `
const fs = require('node:fs');
const text = fs.readFileSync(process.argv[1], 'utf8');
fs.mkdirSync(process.argv[2], { recursive: true });
for (const m of text.matchAll(/^model (\\w+) \\{([^}]*)\\}/gm))
  fs.writeFileSync(process.argv[2] + '/' + m[1] + '.ts', 'export const ' + m[1] + ' = ' + JSON.stringify(m[2].trim().split('\\n').map((l) => l.trim().split(/\\s+/)[0])) + ';\\n');
`;

const MODELS = Number(process.env.BENCH_MODELS ?? 200);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const repo = fileURLToPath(new URL('..', import.meta.url));
const bin = (name: string) => join(repo, 'node_modules/.bin', name);

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): void {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-2000)}`);
}

const bench: BenchModule = {
  title: `generate: ${MODELS}-model schema, whole process, wall clock (${RUNS} runs)`,
  async run() {
    // Inside the repository: graphql-codegen resolves its plugins from the working folder.
    mkdirSync(join(repo, '.tmp'), { recursive: true });
    const dir = mkdtempSync(join(repo, '.tmp', 'bench-generate-'));
    try {
      mkdirSync(join(dir, 'prisma'));
      mkdirSync(join(dir, 'prisma-changed'));
      const schema = syntheticPrisma(MODELS);
      writeFileSync(join(dir, 'prisma/schema.prisma'), schema);
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

      const cli = distBin('trackhub-sync');
      const devCli = join(repo, 'bin/trackhub-sync.mjs');
      let freshRuns = 0;
      let changedRuns = 0;
      const ours = {
        // Two warm-up runs: the first writes the output and the migration history, which the
        // second reads for the first time (a new input: it renders, and finds every file unchanged).
        prisma: stats(
          await sample(RUNS, () => run(process.execPath, [cli, 'generate', '--schema', 'prisma/schema.prisma', '--out', 'out-prisma'], dir), 2),
        ),
        // Every run into a new folder: nothing on disk to compare with, so every file is parsed
        // (the parse check's worker and TypeScript's code cache are on this path; above, after
        // the warm-up run, every file is unchanged and nothing is parsed).
        fresh: stats(
          await sample(RUNS, () =>
            run(process.execPath, [cli, 'generate', '--schema', 'prisma/schema.prisma', '--out', `out-fresh-${freshRuns++}`], dir),
          ),
        ),
        // One merge rule changed before every run (counter ↔ manual on one field: new registry
        // and server code, no local migration): nothing kept matches, every file is rendered and
        // the changed ones are parsed and written. What an engineer's run after an edit costs.
        changed: stats(
          await sample(RUNS, () => {
            const rule = changedRuns++ % 2 ? 'manual' : 'counter';
            writeFileSync(join(dir, 'prisma-changed/schema.prisma'), schema.replace('/// @sync.merge(counter)', `/// @sync.merge(${rule})`));
            run(process.execPath, [cli, 'generate', '--schema', 'prisma-changed/schema.prisma', '--out', 'out-changed'], dir);
          }),
        ),
        // The unchanged run with every cache off (TypeScript's and the bundle's code cache, the
        // engine's answer, the kept run): what the first row costs without them.
        uncached: stats(
          await sample(RUNS, () =>
            run(process.execPath, [cli, 'generate', '--schema', 'prisma/schema.prisma', '--out', 'out-prisma'], dir, { TRACKHUB_SYNC_CACHE: '0' }),
          ),
        ),
        // Before the SDL runs: the generator keeps the last generated layout per folder (migrations).
        dev: stats(
          await sample(RUNS, () => run(process.execPath, [devCli, 'generate', '--schema', 'prisma/schema.prisma', '--out', 'out-dev'], dir)),
        ),
        sdl: stats(await sample(RUNS, () => run(process.execPath, [cli, 'generate', '--schema', 'schema.graphql', '--out', 'out-sdl'], dir), 2)),
      };
      const nodeFloor = stats(await sample(RUNS, () => run(process.execPath, ['-e', '0'], dir)));
      const trivial = stats(await sample(RUNS, () => run(process.execPath, ['-e', TRIVIAL, 'prisma/schema.prisma', 'out-trivial'], dir)));
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
      const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
      return [
        {
          case: `Prisma input → ${files} files (dist bin)`,
          ours: ours.prisma.text,
          baseline: `prisma generate: ${prismaGenerate.text}`,
          note: `${ratio(ours.prisma.p50, prismaGenerate.p50)} prisma generate (target ≤ 0.15×; < 0.6 s on a quiet machine)`,
        },
        {
          case: 'Prisma input, one merge rule changed before each run (dist bin)',
          ours: ours.changed.text,
          baseline: `prisma generate: ${prismaGenerate.text}`,
          note: `${ratio(ours.changed.p50, prismaGenerate.p50)} prisma generate`,
        },
        {
          case: 'Prisma input, unchanged, TRACKHUB_SYNC_CACHE=0 (dist bin; no cache)',
          ours: ours.uncached.text,
          baseline: `prisma generate: ${prismaGenerate.text}`,
          note: `${ratio(ours.uncached.p50, prismaGenerate.p50)} prisma generate`,
        },
        {
          case: 'Prisma input into an empty folder (dist bin; every file parsed)',
          ours: ours.fresh.text,
          baseline: `prisma generate: ${prismaGenerate.text}`,
          note: `${ratio(ours.fresh.p50, prismaGenerate.p50)} prisma generate`,
        },
        { case: 'SDL input (dist bin)', ours: ours.sdl.text, baseline: `graphql-codegen (typescript): ${codegen.text}`, note: 'target: < 2 s' },
        {
          case: 'Prisma input, development bin (tsx)',
          ours: ours.dev.text,
          baseline: '',
          note: `${ratio(ours.dev.p50, ours.prisma.p50)} the dist bin`,
        },
        {
          case: 'floor: trivial generator (read schema, one file per model)',
          ours: '',
          baseline: trivial.text,
          note: `ours − trivial: ${formatMs(ours.prisma.p50 - trivial.p50)}`,
        },
        { case: 'floor: node -e 0', ours: '', baseline: nodeFloor.text, note: `ours − node: ${formatMs(ours.prisma.p50 - nodeFloor.p50)}` },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;

/**
 * `npm run soak:crash -- --seeds N [--from S] [--lives L] [--steps K] [--postgres]`:
 * the crash test of tests/client/crash.test.ts over many more seeds. Devices
 * run in child processes and are killed with SIGKILL at random points of
 * push, pull, conflict resolution and force sync, restarted on the same
 * database file; each seed ends with the journal of user writes checked
 * against the server. Prints figures per seed and in total; exits 1 when a
 * write was lost or duplicated or a device differs from the server.
 * Seeds are reproducible: rerun one with `--from S --seeds 1`. To diagnose
 * one, `CRASH_KEEP=1` keeps its device databases, journal and server database
 * (and prints each life's kill), and `CRASH_TRACE=<file>` appends every hook
 * passed and the queue before each user step to that file.
 */
import { parseArgs } from 'node:util';
import { startPostgres, type PostgresServer } from '../tests/support/postgres';
import { addFigures, emptyFigures, formatFigures, runCrashSeed } from '../tests/client/support/crash';
import { startTestServer } from '../tests/client/support/server';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '20' },
    from: { type: 'string', default: '1' },
    lives: { type: 'string', default: '10' },
    steps: { type: 'string', default: '10' },
    postgres: { type: 'boolean', default: false },
  },
});
const seeds = Number(values.seeds);
const from = Number(values.from);

let postgres: PostgresServer | undefined;
if (values.postgres) postgres = await startPostgres();
const server = await startTestServer(postgres ? { databaseUrl: await postgres.createDatabase(`soak_${process.pid}`) } : {});
const total = emptyFigures();
const started = Date.now();
try {
  for (let seed = from; seed < from + seeds; seed++) {
    const figures = await runCrashSeed(server, seed, { lives: Number(values.lives), steps: Number(values.steps) });
    addFigures(total, figures);
    console.log(`seed ${seed}: ${formatFigures(figures)}`);
    for (const problem of figures.problems) console.log(`  ${problem}`);
  }
} finally {
  await server.close();
  postgres?.stop();
}
console.log(
  `\ntotal (${values.postgres ? 'PostgreSQL' : 'SQLite'} server, ${((Date.now() - started) / 1000).toFixed(0)} s): ${formatFigures(total)}`,
);
process.exitCode = total.problems.length === 0 && total.lost === 0 && total.duplicated === 0 ? 0 : 1;

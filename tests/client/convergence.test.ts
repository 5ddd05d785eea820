import { afterAll, beforeAll, describe, it } from 'vitest';
import { runConvergence } from './support/convergence';
import { startTestServer, type TestServer } from './support/server';

// Randomized convergence: several devices doing random creates, updates and
// deletes with random offline periods and injected network faults, then a
// final sync. Every device must equal the server, and every write that was
// not deleted must be on the server. Reproducible from its seed:
//   SEED=123 npx vitest run tests/client/convergence.test.ts      one seed
//   SOAK=1 SOAK_SEEDS=50 npx vitest run tests/client/convergence.test.ts   a longer soak
//   (also SOAK_FROM=first seed, STEPS=random steps per seed, DEVICES=devices per run)

const SOAK = process.env.SOAK === '1';
const SEEDS = process.env.SEED
  ? [Number(process.env.SEED)]
  : SOAK
    ? Array.from({ length: Number(process.env.SOAK_SEEDS ?? 20) }, (_, i) => Number(process.env.SOAK_FROM ?? 1000) + i)
    : [11, 23, 37];
const STEPS = Number(process.env.STEPS ?? (SOAK ? 300 : 60));
const DEVICES = Number(process.env.DEVICES ?? 3);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe('randomized convergence', () => {
  for (const seed of SEEDS) {
    it(
      `seed ${seed}: ${DEVICES} devices, ${STEPS} random steps, faults and offline periods`,
      () => runConvergence(server, seed, STEPS, DEVICES),
      SOAK ? 600_000 : 120_000,
    );
  }
});

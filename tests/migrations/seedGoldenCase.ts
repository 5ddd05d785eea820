// Seed a migration golden case's committed state: generate its
// previous/schema.prisma into expected/ (the code of version 1) and its
// migration history trackhub-sync/migrations/ (snapshot 0001.json). Then run `UPDATE_GOLDEN=1 npx vitest run tests/golden.test.ts`
// to add the step the changed input/schema.prisma produces.
//
//   npx tsx tests/migrations/seedGoldenCase.ts migrate-add-columns
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig } from '../../generator/config';
import { writeOutput } from '../../generator/emit/write';
import { runPipeline } from '../../generator/pipeline';
import { GOLDEN_ROOT } from '../support/golden';

for (const name of process.argv.slice(2)) {
  const dir = join(GOLDEN_ROOT, name);
  const config = await resolveConfig({ config: join(dir, 'trackhub-sync.config.json'), schema: [join(dir, 'previous/schema.prisma')] }, dir);
  rmSync(config.out, { recursive: true, force: true });
  rmSync(config.migrations.history, { recursive: true, force: true });
  writeOutput(runPipeline(config).files, config.out, config.baseDir);
  console.log(`${name}: seeded ${config.out}`);
}

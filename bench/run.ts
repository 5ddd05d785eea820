/**
 * `npm run bench [-- prefix...]`: runs every `bench/*.bench.ts` (or those
 * whose file name starts with a given prefix) and prints each one's table.
 * Benchmarks are scripts, not tests: each figure is printed beside its
 * baseline, measured in the same run on the same machine.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printTable, type BenchModule } from './support';

const dir = fileURLToPath(new URL('.', import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();

for (const file of files) {
  const mod = (await import(new URL(file, import.meta.url).href)) as { default: BenchModule };
  console.log(`\n## ${mod.default.title}\n`);
  printTable(await mod.default.run());
}

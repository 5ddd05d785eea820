import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
/** Shared shapes and helpers of the benchmark scripts (bench/*.bench.ts). */

export interface BenchRow {
  case: string;
  /** Our figure, e.g. "12.3 ms / 15.0 ms" (p50 / p95). */
  ours: string;
  /** The baseline measured in the same run. */
  baseline: string;
  note?: string;
}

export interface BenchModule {
  title: string;
  run: () => Promise<BenchRow[]>;
}

export interface Stats {
  p50: number;
  p95: number;
  text: string;
}

/** Median and p95 of a list of milliseconds, formatted "p50 / p95". */
export function stats(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  const p50 = at(0.5);
  const p95 = at(0.95);
  return { p50, p95, text: `${formatMs(p50)} / ${formatMs(p95)}` };
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

/** Time `fn` `runs` times (after `warmup` untimed runs); milliseconds per run. */
export async function sample(runs: number, fn: () => unknown, warmup = 1): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    out.push(performance.now() - start);
  }
  return out;
}

export function printTable(rows: readonly BenchRow[]): void {
  const head = ['case', 'trackhub-sync (p50 / p95)', 'baseline, same run (p50 / p95)', 'note'];
  const body = rows.map((r) => [r.case, r.ours, r.baseline, r.note ?? '']);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of body) console.log(line(r));
}

/**
 * The path of a compiled bin, `dist/bin/<name>.js`, as users run it; the
 * package is built first (`npm run build`) when it is missing.
 */
export function distBin(name: 'trackhub-sync' | 'prisma-generator'): string {
  const bin = fileURLToPath(new URL(`../dist/bin/${name}.js`, import.meta.url));
  if (!existsSync(bin)) execFileSync('npm', ['run', 'build'], { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: 'ignore' });
  return bin;
}

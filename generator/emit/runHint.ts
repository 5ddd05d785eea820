import { createHash } from 'node:crypto';
import { keptAnswers } from './keptAnswers';

/**
 * Whether the last `generate` in a folder was answered by a kept run
 * (renderCache.ts): nothing rendered, nothing to parse. The bin reads it
 * before its program loads (bin/main.ts) to decide whether to start the
 * parse check's worker early: a worker that loaded TypeScript costs
 * 0.1–0.2 s to stop when the process exits, more than a kept run takes to
 * read and verify its files (docs/PERFORMANCE.md "Generate"). A wrong guess
 * costs only time: a run that needs the check starts the worker when it
 * meets its first changed file, as it does without a hint. Kept in the code
 * cache's folders, per working folder.
 */
const PREFIX = 'last-run-';
const KEPT = 'kept';

const hints = (dirs: readonly string[]) => keptAnswers(dirs, PREFIX, (text) => (text === KEPT ? true : undefined));
const keyOf = (cwd: string) => createHash('sha256').update(cwd).digest('hex');

/** Whether the last `generate` run in `cwd` was a kept run. */
export function lastRunKept(dirs: readonly string[], cwd: string): boolean {
  return dirs.length > 0 && hints(dirs).read(keyOf(cwd)) === true;
}

/** Records how the `generate` run in `cwd` ended: kept, or anything else (rendered, refused, failed). */
export function rememberRun(dirs: readonly string[], cwd: string, kept: boolean): void {
  if (dirs.length === 0) return;
  if (kept) hints(dirs).keep(keyOf(cwd), KEPT);
  else hints(dirs).forget(keyOf(cwd));
}

import { createHash } from 'node:crypto';
import { keptAnswers } from './keptAnswers';

/**
 * Whether the last `generate` in a folder parsed nothing: every generated
 * file was unchanged on disk, whether its run was kept (renderCache.ts) or
 * rendered. The bin reads it before its program loads (bin/main.ts) to
 * decide whether to start the parse check's worker early: a worker that is
 * loading TypeScript delays the process's exit by 0.1–0.5 s, more than a
 * kept run takes in all (docs/PERFORMANCE.md "A kept run"). A wrong guess
 * costs only time: a run that needs the check starts the worker at its first
 * changed file, as it does without a hint. Kept in the code cache's folders,
 * per working folder.
 */
const PREFIX = 'last-run-';
const NOTHING_PARSED = 'nothing parsed';

const hints = (dirs: readonly string[]) => keptAnswers(dirs, PREFIX, (text) => (text === NOTHING_PARSED ? true : undefined));
const keyOf = (cwd: string) => createHash('sha256').update(cwd).digest('hex');

/** Whether the last `generate` run in `cwd` parsed nothing. */
export function lastRunParsedNothing(dirs: readonly string[], cwd: string): boolean {
  return dirs.length > 0 && hints(dirs).read(keyOf(cwd)) === true;
}

/** Records how the `generate` run in `cwd` ended: having parsed nothing, or anything else (files parsed, refused, failed). */
export function rememberRun(dirs: readonly string[], cwd: string, parsedNothing: boolean): void {
  if (dirs.length === 0) return;
  if (parsedNothing) hints(dirs).keep(keyOf(cwd), NOTHING_PARSED);
  else hints(dirs).forget(keyOf(cwd));
}

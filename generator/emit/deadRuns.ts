import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What a killed run leaves behind and the next run removes: staging folders
 * (write.ts), temporary siblings of files outside the output (write.ts) and
 * of the user's files (scaffold/userFiles.ts). Each name carries the process
 * id of the run that made it; only a name whose process is gone is removed,
 * never a live run's, never a name these modules do not make.
 */

/** Whether a process with this id runs (EPERM: alive, another user's). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove the entries of `dir` (files or folders) whose name `pidOf` reads a
 * process id from, when that process is gone. `pidOf` returns undefined for
 * any name it does not recognise.
 */
export function removeDeadRunFiles(dir: string, pidOf: (name: string) => string | undefined): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const pid = pidOf(name);
    if (pid !== undefined && !processAlive(Number(pid))) rmSync(join(dir, name), { recursive: true, force: true });
  }
}

/** The temporary sibling write.ts stages a file through on another file system than the output. */
export function siblingName(target: string, stamp: string): string {
  return `${target}.trackhub-sync-${stamp}`;
}

const SIBLING = /\.trackhub-sync-(\d+)-\d+$/;

/** The process id in a `siblingName` (`<pid>-<time>` stamp), else undefined. */
export const siblingPid = (name: string): string | undefined => SIBLING.exec(name)?.[1];

/**
 * Whether `name` is a temporary sibling of a run whose process is gone: killed
 * before its rename or link. The migration history's reader passes over such
 * a file (it is not a snapshot) and the next run that writes beside it
 * removes it.
 */
export function isDeadRunSibling(name: string): boolean {
  const pid = siblingPid(name);
  return pid !== undefined && !processAlive(Number(pid));
}

import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { removeDeadRunFiles } from './deadRuns';

/**
 * Answers of a pure computation kept between runs in the code cache's folders
 * (codeCache.ts `codeCacheDirs`, README "Generate: the code cache"): Prisma's
 * `get_datamodel` answer (readers/prisma/datamodelCache.ts) and what rendering
 * wrote (renderCache.ts). A file `<prefix><key's first 32 hex digits>.json`
 * holds the key (a SHA-256 in hex of everything the answer depends on) on its
 * first line and the answer after it.
 *
 * A file is not used when it is another user's or others may write it, when
 * its first line is not the key asked for, or when `accept` refuses the text
 * (a damaged answer). It is written through a temporary file renamed into
 * place, so a reader never sees half of it (one left by a killed run is
 * removed by a later write once its process is gone); the `kept` answers used
 * last stay, older ones are removed. Nothing here ever fails a run: an
 * unreadable or unwritable folder is a miss.
 */
export interface KeptAnswers<T> {
  /** The answer kept under `key`, as `accept` made it from the text, or undefined. Renews its time (kept the longest). */
  read(key: string): T | undefined;
  /** Keeps `text` under `key` in the first folder that takes it; whether one did. */
  keep(key: string, text: string): boolean;
  /** Removes what is kept under `key`. */
  forget(key: string): void;
}

export function keptAnswers<T>(dirs: readonly string[], prefix: string, accept: (text: string) => T | undefined, kept = 16): KeptAnswers<T> {
  const name = (key: string) => `${prefix}${key.slice(0, 32)}.json`;
  const temporary = new RegExp(`^${prefix}[0-9a-f]+\\.json\\.(\\d+)-\\d+\\.tmp$`);
  return {
    read(key) {
      for (const dir of dirs) {
        const answer = readKept(join(dir, name(key)), key, accept);
        if (answer !== undefined) return answer;
      }
      return undefined;
    },
    keep(key, text) {
      for (const dir of dirs) {
        if (!write(dir, name(key), `${key}\n${text}`, temporary)) continue;
        try {
          dropOldest(dir, prefix, kept);
        } catch {}
        return true;
      }
      return false;
    },
    forget(key) {
      for (const dir of dirs) {
        try {
          rmSync(join(dir, name(key)), { force: true });
        } catch {}
      }
    },
  };
}

function readKept<T>(file: string, key: string, accept: (text: string) => T | undefined): T | undefined {
  try {
    const stat = statSync(file);
    if (typeof process.getuid === 'function' && (stat.uid !== process.getuid() || (stat.mode & 0o022) !== 0)) return undefined;
    const text = readFileSync(file, 'utf8');
    const newline = text.indexOf('\n');
    if (newline < 0 || text.slice(0, newline) !== key) return undefined;
    const answer = accept(text.slice(newline + 1));
    if (answer === undefined) return undefined;
    // Kept the longest: the answers still asked for (dropOldest goes by time).
    const now = new Date();
    utimesSync(file, now, now);
    return answer;
  } catch {
    return undefined;
  }
}

function write(dir: string, name: string, text: string, temporaryName: RegExp): boolean {
  const temporary = join(dir, `${name}.${process.pid}-${threadId}.tmp`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    removeDeadRunFiles(dir, (entry) => temporaryName.exec(entry)?.[1]);
    writeFileSync(temporary, text, { mode: 0o600 });
    renameSync(temporary, join(dir, name));
    return true;
  } catch {
    try {
      rmSync(temporary, { force: true });
    } catch {}
    return false;
  }
}

/** Removes all but the `kept` most recently used answers of `prefix` (another run may be removing them too). */
function dropOldest(dir: string, prefix: string, kept: number): void {
  const answers: { entry: string; time: number }[] = [];
  for (const entry of readdirSync(dir)) {
    if (!entry.startsWith(prefix) || !entry.endsWith('.json')) continue;
    try {
      answers.push({ entry, time: statSync(join(dir, entry)).mtimeMs });
    } catch {}
  }
  answers.sort((a, b) => b.time - a.time);
  for (const { entry } of answers.slice(kept)) rmSync(join(dir, entry), { force: true });
}

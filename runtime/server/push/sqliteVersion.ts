import type { SyncCore } from '../core';
import type { PrismaTx } from '../types';

const known = new WeakMap<SyncCore, Promise<boolean>>();

/**
 * Whether the SQLite behind a core has `jsonb_each` (3.45+: Prisma's
 * better-sqlite3 adapter bundles a newer one; other adapters may not). Asked
 * once per core, in the first push transaction; an older SQLite, or a failed
 * question, keeps the text form (`json_each`).
 */
export function sqliteHasJsonb(core: SyncCore, tx: PrismaTx): Promise<boolean> {
  let answer = known.get(core);
  if (!answer) {
    answer = tx.$queryRawUnsafe<{ v: string }[]>('SELECT sqlite_version() AS v').then(
      (rows) => atLeast(String(rows[0]?.v ?? ''), [3, 45]),
      () => false,
    );
    known.set(core, answer);
  }
  return answer;
}

/** `version` (`3.53.2`) is at least `min` (major, minor). */
export function atLeast(version: string, min: readonly [number, number]): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > min[0] || (major === min[0] && minor >= min[1]);
}

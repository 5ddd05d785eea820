import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every file under `dir` as POSIX paths relative to it, sorted. */
export function listTree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const walk = (sub: string): string[] =>
    readdirSync(join(dir, sub), { withFileTypes: true }).flatMap((e) => {
      const rel = sub ? `${sub}/${e.name}` : e.name;
      return e.isDirectory() ? walk(rel) : [rel];
    });
  return walk('').sort();
}

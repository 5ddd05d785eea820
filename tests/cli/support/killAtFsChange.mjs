// Preloaded into a CLI child (`node --import`; generate, init, add-entity, doctor): counts the main thread's synchronous
// file-system changes under TRACKHUB_KILL_ROOT and SIGKILLs the process right before change
// number TRACKHUB_KILL_AT (0: never; the count is printed at exit). Paths outside the root
// (tsx's transform cache) are not counted, so the numbering is the generator's own.
// TRACKHUB_KILL_TRACE=1 lists every counted change on stderr.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { resolve } from 'node:path';
import { isMainThread } from 'node:worker_threads';

const root = process.env.TRACKHUB_KILL_ROOT;
const at = Number(process.env.TRACKHUB_KILL_AT ?? 0);
if (isMainThread && root) {
  let count = 0;
  for (const name of ['writeFileSync', 'renameSync', 'linkSync', 'rmSync', 'rmdirSync', 'mkdirSync', 'unlinkSync', 'copyFileSync']) {
    const original = fs[name];
    fs[name] = function counted(path, ...rest) {
      if (typeof path === 'string' && resolve(path).startsWith(root)) {
        count += 1;
        if (process.env.TRACKHUB_KILL_TRACE === '1') fs.writeSync(2, `FS ${count} ${name} ${path}\n`);
        if (count === at) {
          fs.writeSync(1, `KILL ${count} ${name} ${path}\n`);
          process.kill(process.pid, 'SIGKILL');
        }
      }
      return original.call(this, path, ...rest);
    };
  }
  syncBuiltinESMExports();
  process.on('exit', () => fs.writeSync(1, `FS CHANGES ${count}\n`));
}

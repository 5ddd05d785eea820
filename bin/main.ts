#!/usr/bin/env node
// The published `trackhub-sync` bin (built to dist/bin/trackhub-sync.js).
import { existsSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { codeCacheDirs, loadWithCodeCache } from '../generator/emit/codeCache';
import { provideImporter } from '../generator/importModule';
import { prestartParseCheckWorker } from '../generator/emit/parseCheckWorker';
import { lastRunParsedNothing } from '../generator/emit/runHint';

// Prisma's schema engine is WebAssembly called a few times per run; in a
// short-lived process V8's optimising tier costs more than it saves (measured:
// first get_datamodel on a 200-model schema ~300 ms with tier-up, ~60 ms with
// the baseline compiler only). Set before the engine module is loaded, hence
// the dynamic import.
setFlagsFromString('--liftoff-only');

// Node >= 22.1 keeps the compiled code of the modules a run loads (ours, handlebars, zod,
// TypeScript in the parse check's worker) in its compile cache on disk, so the next run skips
// compiling them; older versions have no such cache and run as before.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

// The program: in the package, bin/trackhub-sync.ts built with the libraries it always loads into
// one CommonJS file beside this one (tsup.config.ts), because Node loads one script much faster than
// the ES modules it is made of (docs/PERFORMANCE.md "Generate"). Below Node 22.1 it goes through
// our code cache (codeCache.ts), written at the end of a run that found none, so that it holds the
// functions the run compiled. In the repository: the sources.
const bundle = fileURLToPath(new URL('./cli.cjs', import.meta.url));
const packaged = existsSync(bundle);
const cacheDirs = packaged ? codeCacheDirs(bundle) : [];

// `generate` parses what it renders with TypeScript in a worker (generator/emit/parseCheck.ts), and
// on a fresh 200-model run that check is the critical path (docs/PERFORMANCE.md "Generate"): start
// it before the program's modules load, so TypeScript loads beside them, the schema read and the
// rendering. Not when the last run here parsed nothing (emit/runHint.ts): this one most likely has
// nothing to parse either, and Node's exit would wait for a worker that is loading TypeScript.
if (process.argv[2] === 'generate' && !lastRunParsedNothing(cacheDirs, process.cwd())) prestartParseCheckWorker();

if (packaged) {
  provideImporter((specifier) => import(specifier));
  const loaded = loadWithCodeCache(bundle, cacheDirs, 'cli');
  process.once('exit', () => loaded.save());
} else {
  await import('./trackhub-sync');
}

#!/usr/bin/env node
// Entry point: the package ships TypeScript sources, run through tsx.
import { setFlagsFromString } from 'node:v8';
import { register } from 'tsx/esm/api';

// Prisma's schema engine is WebAssembly called a few times per run; in a
// short-lived process V8's optimising tier costs more than it saves (measured:
// first get_datamodel on a 200-model schema ~300 ms with tier-up, ~60 ms with
// the baseline compiler only). Set before the engine module is loaded.
setFlagsFromString('--liftoff-only');

register();
await import('./trackhub-sync.ts');

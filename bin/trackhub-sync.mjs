#!/usr/bin/env node
// Development entry point: runs the TypeScript sources through tsx (this
// repository's tests and scripts). The published bin is dist/bin/trackhub-sync.js,
// built from bin/main.ts (README "Development").
import { register as registerCommonJs } from 'tsx/cjs/api';
import { register } from 'tsx/esm/api';

// Both loaders, as `node --import tsx` does: a project's `.ts` config in a CommonJS package is
// compiled to CommonJS.
register();
registerCommonJs();
await import('./main.ts');

#!/usr/bin/env node
// Development entry point: runs the TypeScript sources through tsx (this
// repository's tests and scripts). The published bin is dist/bin/trackhub-sync.js,
// built from bin/main.ts (README "Development").
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');

#!/usr/bin/env node
// Development entry of the Prisma generator: runs the TypeScript sources
// through tsx (this repository's tests). The published bin is
// dist/bin/prisma-generator.js, built from bin/prisma-generator.ts.
import { register } from 'tsx/esm/api';

register();
await import('./prisma-generator.ts');

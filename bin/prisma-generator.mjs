#!/usr/bin/env node
// Prisma generator entry: `generator sync { provider = "trackhub-sync-prisma" }`
// (or `provider = "node ./node_modules/trackhub-sync/bin/prisma-generator.mjs"`).
// The package ships TypeScript sources, run through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../generator/integrations/prisma/handler.ts');

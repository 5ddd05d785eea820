#!/usr/bin/env node
// The published `trackhub-sync-prisma` bin (built to dist/bin/prisma-generator.js):
// `generator sync { provider = "trackhub-sync-prisma" }`.
import '../generator/integrations/prisma/handler';

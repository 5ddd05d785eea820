import { defineHardeningTests } from './hardeningCases';
import { defineSyncApiTests } from './syncApiCases';

defineSyncApiTests('SQLite (better-sqlite3 adapter)', async () => ({ kind: 'sqlite' }));
defineHardeningTests('SQLite (better-sqlite3 adapter)', async () => ({ kind: 'sqlite' }));

import { defineSyncApiTests } from './syncApiCases';

defineSyncApiTests('SQLite (better-sqlite3 adapter)', async () => ({ kind: 'sqlite' }));

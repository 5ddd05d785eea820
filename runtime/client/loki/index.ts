export { lokiDatabaseFactory, saveDatabase, closeDatabase, databaseClosed, databaseReady, type LokiFactoryOptions } from './factory';
export { DurableLokiAdapter } from './durableAdapter';
export { WebDatabaseError, type WebDatabaseErrorKind } from './errors';
export { applyWebStep, type WebMigrationStep, type WebMigrationSteps } from './webMigrations';

// WatermelonDB 0.28 ships no types for the LokiJS driver module; only its
// prototype is used (see webMigrations.ts).
declare module '@nozbe/watermelondb/adapters/lokijs/worker/DatabaseDriver' {
  const DatabaseDriver: unknown;
  export default DatabaseDriver;
}

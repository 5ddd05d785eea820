/**
 * A migration step the LokiJS adapter cannot take from WatermelonDB's
 * migration API: WatermelonDB migrations only create tables and add columns,
 * every other change is `unsafeExecuteSql`, and LokiJS ignores SQL steps.
 * Generation emits these (`webMigrationSteps` in `watermelon/migrations.ts`)
 * beside each SQL step, so a web database ends a migration with the same
 * tables, columns and values as a SQLite one (README "Web", migration parity).
 * Plain data, no dependencies: the generator emits it, the runtime runs it.
 */
export type WebMigrationStep =
  | { readonly kind: 'renameTable'; readonly from: string; readonly to: string }
  | { readonly kind: 'renameColumn'; readonly table: string; readonly from: string; readonly to: string }
  | { readonly kind: 'dropColumn'; readonly table: string; readonly column: string }
  | { readonly kind: 'dropTable'; readonly table: string }
  | { readonly kind: 'addIndex'; readonly table: string; readonly column: string }
  | { readonly kind: 'dropIndex'; readonly table: string; readonly column: string }
  /** Set a column to a value (WatermelonDB's empty value): in every row, or (`onlyNull`) where it is null. */
  | {
      readonly kind: 'setValue';
      readonly table: string;
      readonly column: string;
      readonly value: string | number | boolean | null;
      readonly onlyNull: boolean;
    };

/** Steps by the version they migrate to. */
export type WebMigrationSteps = Readonly<Record<number, readonly WebMigrationStep[]>>;

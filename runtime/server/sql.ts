import type { SqlDialect, SyncFieldDescriptor } from './types';

/**
 * The little SQL the server writes itself. Prisma Client spends ≈ 0.4 ms of
 * runtime per row in `createMany` and a round trip per `update`
 * (ENVIRONMENT.md), so batches go through `$executeRawUnsafe` as set-based
 * statements (push/jsonRows.ts), always with bound parameters.
 */
export function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Collects bound parameters and returns the dialect's placeholder for each. */
export class Params {
  readonly values: unknown[] = [];
  /** `sqliteJsonb`: SQLite 3.45+ (`jsonb_each`), for JSON row parameters (push/jsonRows.ts `rowsSource`). */
  constructor(
    readonly dialect: SqlDialect,
    readonly sqliteJsonb = false,
  ) {}

  /** Bind a value; `cast` is the PostgreSQL type the parameter must have. */
  add(value: unknown, cast?: string): string {
    this.values.push(value);
    if (this.dialect === 'sqlite') return '?';
    return cast ? `$${this.values.length}::${cast}` : `$${this.values.length}`;
  }
}

/**
 * PostgreSQL type of a column, as Prisma creates it by default. Parameters
 * are cast explicitly because CASE and VALUES give them no type context.
 */
export function pgType(field: Pick<SyncFieldDescriptor, 'type' | 'enumName' | 'isList' | 'dbType'>): string {
  const base = ((): string => {
    if (field.dbType) return field.dbType;
    switch (field.type) {
      case 'String':
        return 'text';
      case 'Boolean':
        return 'boolean';
      case 'Int':
        return 'integer';
      case 'BigInt':
        return 'bigint';
      case 'Float':
        return 'double precision';
      case 'Decimal':
        return 'decimal';
      case 'DateTime':
        return 'timestamp(3)';
      case 'Json':
        return 'jsonb';
      case 'Bytes':
        return 'bytea';
      case 'Enum':
        return quote(field.enumName ?? 'text');
    }
  })();
  return field.isList ? `${base}[]` : base;
}

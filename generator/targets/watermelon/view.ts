import { printLiteral } from '../../emit/tsLiteral';
import type { IrEntity, IrField } from '../../ir/types';
import { mapField } from './typeMapping';
import type { SystemColumn } from './systemTables';

/** A column of an appSchema table, as the literal the template prints. */
export interface ColumnView {
  literal: string;
}

export interface PropertyView {
  /** `@readonly @field('server_id') serverId!: string | null;` */
  line: string;
  doc: string | null;
}

export function columnLiteral(c: SystemColumn): string {
  return printLiteral({ name: c.name, type: c.type, isOptional: c.isOptional || undefined, isIndexed: c.isIndexed || undefined });
}

/**
 * WatermelonDB maintains `created_at` / `updated_at` itself and requires them
 * to be non-optional number columns (Schema/index.js validateColumnSchema).
 */
const WATERMELON_TIMESTAMPS = new Set(['created_at', 'updated_at']);

/** Whether the local column of a field may hold null. */
export function isOptionalColumn(field: IrField): boolean {
  return !field.isRequired && !WATERMELON_TIMESTAMPS.has(field.column);
}

/** Fields that exist in the local database: everything but the server id and ignored fields. */
export function localFields(entity: IrEntity): IrField[] {
  return entity.fields.filter((f) => !f.isId && !f.ignore);
}

/** Local columns of an entity table, `server_id` first (README "Migrations"). */
export function entityColumns(entity: IrEntity): SystemColumn[] {
  return [
    { name: 'server_id', type: 'string', isOptional: true, isIndexed: true },
    ...localFields(entity).map((f): SystemColumn => {
      const mapping = mapField(f);
      return {
        name: f.column,
        type: mapping.columnType,
        isOptional: isOptionalColumn(f) || undefined,
        isIndexed: f.index || undefined,
      };
    }),
  ];
}

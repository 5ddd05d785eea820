/**
 * The WatermelonDB target's public surface. The client target describes the
 * same local tables (value kinds, layout hash) and may use what is exported
 * here, never the target's other modules.
 */
export { generateWatermelon, type WatermelonContext } from './generate';
export { validateWatermelon } from './validate';
export { mapField, type ColumnMapping } from './typeMapping';
export { entityColumns, localFields } from './view';

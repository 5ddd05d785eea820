/**
 * The sync protocol shared by the generator and both runtimes: vocabularies,
 * the base-field table, the field-access rule and the merge rules. No
 * dependencies; docs/PROTOCOL.md describes what these words mean on the wire.
 */
export * from './vocabulary';
export * from './baseFields';
export * from './fieldAccess';
export * from './mergeRules';
export { wireEqual } from './wireEqual';

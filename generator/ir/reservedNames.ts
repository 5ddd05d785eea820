import { DiagnosticCode, diagnostic, type Diagnostic } from '../diagnostics';
import { SYSTEM_TABLES } from '../targets/watermelon/systemTables';
import type { Ir } from './types';

/**
 * Names generated code defines besides the entities' own (README "Names").
 * An entity or enum of one of these names would be a second declaration of
 * it, so it is refused rather than renamed: the entity name is also the wire
 * name (`entity` of a push, the GraphQL type), which renaming would change.
 */
const FIXED_NAMES: ReadonlyMap<string, string> = new Map([
  ...['Query', 'Mutation', 'Subscription'].map((n) => [n, 'a GraphQL root type'] as const),
  ...['String', 'Int', 'Float', 'Boolean', 'ID', 'DateTime', 'JSON', 'BigInt', 'Decimal', 'Bytes'].map(
    (n) => [n, 'a GraphQL scalar of the server schema'] as const,
  ),
  ...['SyncOp', 'SyncPullResponse', 'SyncResultItem', 'ConflictPayload', 'SyncEntityName', 'SyncResolvers', 'JsonValue'].map(
    (n) => [n, 'a type of the generated server'] as const,
  ),
  ...['Sync', 'WritableSync', 'AdapterContext', 'SyncAdapter', 'WritableSyncAdapter'].map(
    (n) => [n, 'a name the generated client adapters import'] as const,
  ),
  ...SYSTEM_TABLES.map((t) => [t.className, 'a model class of the sync runtime (system table)'] as const),
]);

/** Per-entity names the targets derive (`Task` -> `TaskData`, `TaskAdapter`, ...). */
const DERIVED_SUFFIXES = ['Data', 'PullResponse', 'PushItem', 'Record', 'Create', 'Update', 'Entity', 'Input', 'Patch', 'Adapter'];

/** ECMAScript reserved words: never a class or type name. */
const RESERVED_WORDS = new Set(
  'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await any boolean number string symbol never unknown object undefined type'.split(
    ' ',
  ),
);

/**
 * Entity, enum and enum value names that no target can carry: refused with a
 * located diagnostic (TS118). Names that only collide inside one target (a
 * field named `collection` on a WatermelonDB model, an entity named `Model`)
 * are renamed by that target instead.
 */
export function checkReservedNames(ir: Ir): Diagnostic[] {
  const out: Diagnostic[] = [];
  const derived = new Map<string, string>();
  for (const entity of ir.entities) for (const suffix of DERIVED_SUFFIXES) derived.set(`${entity.name}${suffix}`, entity.name);
  const named = [
    ...ir.entities.map((e) => ({ kind: 'model', name: e.name, location: e.location })),
    ...ir.enums.map((e) => ({ kind: 'enum', name: e.name, location: e.location })),
  ];
  for (const { kind, name, location } of named) {
    const why =
      FIXED_NAMES.get(name) ??
      (derived.has(name) ? `a type generated for model ${derived.get(name)!}` : undefined) ??
      (RESERVED_WORDS.has(name) ? 'a reserved word of TypeScript' : undefined) ??
      (name.startsWith('__') ? 'reserved by GraphQL (names starting with __)' : undefined);
    if (why) {
      out.push(
        diagnostic(
          DiagnosticCode.reservedName,
          location,
          `${kind} ${name}: the name is ${why}`,
          kind === 'model'
            ? `Rename the model (Prisma keeps its table with @@map("${name}")); entity names are also wire and GraphQL type names.`
            : `Rename the enum (Prisma keeps its database name with @@map("${name}")).`,
        ),
      );
    }
  }
  for (const e of ir.enums) {
    for (const value of e.values) {
      if (value === 'true' || value === 'false' || value === 'null' || value.startsWith('__')) {
        out.push(
          diagnostic(
            DiagnosticCode.reservedName,
            e.location,
            `enum ${e.name} › value ${value}: GraphQL does not allow this enum value`,
            `Rename the value (Prisma keeps its database value with @map("${value}")).`,
          ),
        );
      }
    }
  }
  for (const entity of ir.entities) {
    for (const f of [...entity.fields, ...entity.relations]) {
      if (f.name.startsWith('__') && !('ignore' in f && f.ignore)) {
        out.push(
          diagnostic(
            DiagnosticCode.reservedName,
            f.location,
            `model ${entity.name} › field ${f.name}: names starting with __ are reserved by GraphQL`,
            'Rename the field (Prisma keeps its column with @map).',
          ),
        );
      }
    }
  }
  return out;
}

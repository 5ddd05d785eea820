import { Imports } from '../../emit/imports';
import { printLiteral, printString } from '../../emit/tsLiteral';
import type { Ir, IrEntity } from '../../ir/types';
import { propertyNames } from './propertyNames';
import { mapField } from './typeMapping';
import { isOptionalColumn, localFields, type PropertyView } from './view';

export interface ModelView {
  className: string;
  /** WatermelonDB's `Model`, aliased when the entity itself is named `Model`. */
  baseClass: string;
  associationsType: string;
  table: string;
  doc: string;
  imports: string[];
  associations: string[];
  properties: PropertyView[];
}

/** Table and columns by entity name, built once per IR (the IR is immutable) rather than once per model. */
const lookups = new WeakMap<Ir, { tables: Map<string, string>; columns: Map<string, Map<string, string>> }>();
function lookup(ir: Ir) {
  let found = lookups.get(ir);
  if (!found) {
    found = {
      tables: new Map(ir.entities.map((e) => [e.name, e.table])),
      columns: new Map(ir.entities.map((e) => [e.name, new Map(e.fields.map((f) => [f.name, f.column]))])),
    };
    lookups.set(ir, found);
  }
  return found;
}

/** Everything the model template prints for one entity, decided here. */
export function modelView(ir: Ir, entity: IrEntity, runtimeImport: string): ModelView {
  const { tables, columns } = lookup(ir);
  const pullOnly = entity.direction === 'pullOnly';
  const decorators = new Set<string>(['field']);
  const watermelonTypes = new Set<string>();
  const runtime = new Set<string>();
  const runtimeTypes = new Set<string>();
  const related = new Set<string>();
  const enums = new Set<string>();
  const watermelon = new Set<string>();

  const props = propertyNames(entity);
  const renamed = (name: string): string | null =>
    props.get(name) !== name ? `\`${name}\` in the schema; renamed because WatermelonDB's Model has \`${name}\` (README "Names").` : null;
  // Generated code names entities; WatermelonDB's own names are aliased where an entity takes them.
  const localNames = new Set([entity.name, ...entity.relations.map((r) => r.target)]);
  const wm = (name: string) => (localNames.has(name) ? `Watermelon${name}` : name);

  const properties: PropertyView[] = [
    { line: "@readonly @field('server_id') serverId!: string | null;", doc: 'Server id; null until the first push is acknowledged.' },
  ];
  decorators.add('readonly');
  for (const field of localFields(entity)) {
    const m = mapField(field);
    decorators.add(m.decorator);
    const args = m.sanitizer ? `'${field.column}', ${m.sanitizer}` : `'${field.column}'`;
    if (m.sanitizer) runtime.add(m.sanitizer);
    if (m.tsType.includes('JsonValue')) runtimeTypes.add('JsonValue');
    if (field.type.kind === 'enum') enums.add(field.type.enum);
    const readOnly = pullOnly || field.readonly || field.serverManaged;
    const nullable = isOptionalColumn(field) && !field.isList ? ' | null' : '';
    properties.push({
      line: `${readOnly ? '@readonly ' : ''}@${m.decorator}(${args}) ${props.get(field.name)}!: ${m.tsType}${nullable};`,
      doc: renamed(field.name),
    });
  }

  // WatermelonDB keys `associations` by table (one entry per related table), and `@children`
  // reads its key from there. A table reached by one relation gets the association; a table
  // reached by several (two keys to one model, a tree) gets `@relation` with the explicit
  // column and lazy queries instead (README "Relations").
  const perTable = new Map<string, number>();
  for (const relation of entity.relations) {
    const table = tables.get(relation.target)!;
    perTable.set(table, (perTable.get(table) ?? 0) + (relation.target === entity.name ? 2 : 1));
  }
  const associations: string[] = [];
  for (const relation of entity.relations) {
    const table = tables.get(relation.target)!;
    const unambiguous = perTable.get(table) === 1;
    const property = props.get(relation.name)!;
    related.add(relation.target);
    if (relation.kind === 'belongsTo') {
      const key = columns.get(entity.name)!.get(relation.foreignKey)!;
      const decorator = relation.immutable || pullOnly ? 'immutableRelation' : 'relation';
      decorators.add(decorator);
      watermelonTypes.add('Relation');
      if (unambiguous) associations.push(`${printLiteral({ [table]: { type: 'belongs_to', key } }).slice(2, -2)},`);
      properties.push({
        line: `@${decorator}(${printString(table)}, ${printString(key)}) ${property}!: ${wm('Relation')}<${relation.target}>;`,
        doc: renamed(relation.name),
      });
    } else {
      const key = columns.get(relation.target)!.get(relation.foreignKey)!;
      watermelonTypes.add('Query');
      if (unambiguous) {
        decorators.add('children');
        associations.push(`${printLiteral({ [table]: { type: 'has_many', foreignKey: key } }).slice(2, -2)},`);
        properties.push({ line: `@children(${printString(table)}) ${property}!: ${wm('Query')}<${relation.target}>;`, doc: renamed(relation.name) });
      } else {
        watermelon.add('Q');
        properties.push({
          line: `get ${property}(): ${wm('Query')}<${relation.target}> {\n    return this.collections.get<${relation.target}>(${printString(table)}).query(${wm('Q')}.where(${printString(key)}, this.id));\n  }`,
          doc: renamed(relation.name) ?? `${relation.target} records whose \`${key}\` is this record (a query: ${table} is related more than once).`,
        });
      }
    }
  }

  const alias = (name: string) => (wm(name) === name ? name : `${name} as ${wm(name)}`);
  // WatermelonDB has no `exports` map: subpaths name their file, as Node's ESM loader and NodeNext need.
  const imports = new Imports()
    .add('@nozbe/watermelondb', ['Model', ...watermelon].map(alias))
    .addType('@nozbe/watermelondb', [...watermelonTypes].map(alias))
    .add('@nozbe/watermelondb/decorators/index.js', [...decorators])
    .addType('@nozbe/watermelondb/Model/index.js', associations.length > 0 ? [alias('Associations')] : [])
    .add(`${runtimeImport}/watermelon`, [...runtime])
    .addType(`${runtimeImport}/watermelon`, [...runtimeTypes])
    .addType('../enums', [...enums]);
  for (const name of [...related].filter((r) => r !== entity.name)) imports.addType(`./${name}`, name);

  return {
    className: entity.name,
    baseClass: wm('Model'),
    associationsType: wm('Associations'),
    table: printString(entity.table),
    doc: `${entity.name}: ${entity.strategy}, ${entity.direction}${pullOnly ? ' (read-only: the server owns these records)' : ''}.`,
    imports: imports.lines(),
    associations,
    properties,
  };
}

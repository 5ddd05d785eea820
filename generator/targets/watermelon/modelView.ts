import { Imports } from '../../emit/imports';
import { printLiteral, printString } from '../../emit/tsLiteral';
import type { Ir, IrEntity } from '../../ir/types';
import { mapField } from './typeMapping';
import { isOptionalColumn, localFields, type PropertyView } from './view';

export interface ModelView {
  className: string;
  table: string;
  doc: string;
  imports: string[];
  associations: string[];
  properties: PropertyView[];
}

/** Everything the model template prints for one entity, decided here. */
export function modelView(ir: Ir, entity: IrEntity, runtimeImport: string): ModelView {
  const tables = new Map(ir.entities.map((e) => [e.name, e.table]));
  const columns = new Map(ir.entities.map((e) => [e.name, new Map(e.fields.map((f) => [f.name, f.column]))]));
  const pullOnly = entity.direction === 'pullOnly';
  const decorators = new Set<string>(['field']);
  const watermelonTypes = new Set<string>();
  const runtime = new Set<string>();
  const runtimeTypes = new Set<string>();
  const related = new Set<string>();
  const enums = new Set<string>();

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
      line: `${readOnly ? '@readonly ' : ''}@${m.decorator}(${args}) ${field.name}!: ${m.tsType}${nullable};`,
      doc: null,
    });
  }

  const associations: string[] = [];
  for (const relation of entity.relations) {
    const table = tables.get(relation.target)!;
    related.add(relation.target);
    if (relation.kind === 'belongsTo') {
      const key = columns.get(entity.name)!.get(relation.foreignKey)!;
      const decorator = relation.immutable || pullOnly ? 'immutableRelation' : 'relation';
      decorators.add(decorator);
      watermelonTypes.add('Relation');
      associations.push(`${printLiteral({ [table]: { type: 'belongs_to', key } }).slice(2, -2)},`);
      properties.push({ line: `@${decorator}(${printString(table)}, ${printString(key)}) ${relation.name}!: Relation<${relation.target}>;`, doc: null });
    } else {
      const key = columns.get(relation.target)!.get(relation.foreignKey)!;
      decorators.add('children');
      watermelonTypes.add('Query');
      associations.push(`${printLiteral({ [table]: { type: 'has_many', foreignKey: key } }).slice(2, -2)},`);
      properties.push({ line: `@children(${printString(table)}) ${relation.name}!: Query<${relation.target}>;`, doc: null });
    }
  }

  const imports = new Imports()
    .add('@nozbe/watermelondb', 'Model')
    .addType('@nozbe/watermelondb', [...watermelonTypes])
    .add('@nozbe/watermelondb/decorators', [...decorators])
    .addType('@nozbe/watermelondb/Model', associations.length > 0 ? ['Associations'] : [])
    .add(`${runtimeImport}/watermelon`, [...runtime])
    .addType(`${runtimeImport}/watermelon`, [...runtimeTypes])
    .addType('../enums', [...enums]);
  for (const name of [...related].filter((r) => r !== entity.name)) imports.addType(`./${name}`, name);

  return {
    className: entity.name,
    table: printString(entity.table),
    doc: `${entity.name}: ${entity.strategy}, ${entity.direction}${pullOnly ? ' (read-only: the server owns these records)' : ''}.`,
    imports: imports.lines(),
    associations,
    properties,
  };
}

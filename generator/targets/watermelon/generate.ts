import { Imports } from '../../emit/imports';
import { printString } from '../../emit/tsLiteral';
import type { ResolvedConfig } from '../../config';
import { formatSource } from '../../emit/format';
import type { GeneratedFile } from '../../emit/generatedFile';
import { header } from '../../emit/header';
import { render } from '../../emit/render';
import type { Ir } from '../../ir/types';
import { modelView } from './modelView';
import { SYSTEM_TABLES } from './systemTables';
import { columnLiteral, entityColumns } from './view';

export interface WatermelonContext {
  ir: Ir;
  config: Pick<ResolvedConfig, 'runtimeImport'>;
  /** Local schema version (from the migration snapshot chain). */
  schemaVersion: number;
  /** `watermelon/migrations.ts`, when the migrations step produced one. */
  migrationsSource?: string;
}

/** The WatermelonDB target: `watermelon/` (schema, models, enums, migrations, index). */
export function generateWatermelon(context: WatermelonContext): GeneratedFile[] {
  const { ir, config } = context;
  const head = header();
  const file = (path: string, template: string, view: object): GeneratedFile => ({
    path: `watermelon/${path}`,
    contents: formatSource(render(`watermelon/${template}`, { header: head, ...view })),
  });

  const files: GeneratedFile[] = [];
  files.push(
    file('schema.ts', 'schema', {
      version: context.schemaVersion,
      tables: [
        ...ir.entities.map((e) => ({
          comment: `${e.name} (${e.strategy}, ${e.direction})`,
          name: printString(e.table),
          columns: entityColumns(e).map(columnLiteral),
        })),
        ...SYSTEM_TABLES.map((t) => ({ comment: `system: ${t.className}`, name: printString(t.table), columns: t.columns.map(columnLiteral) })),
      ],
    }),
  );
  files.push(
    context.migrationsSource !== undefined
      ? { path: 'watermelon/migrations.ts', contents: formatSource(`${head}\n${context.migrationsSource}`) }
      : file('migrations.ts', 'migrations', {}),
  );
  if (ir.enums.length > 0) {
    files.push(
      file('enums.ts', 'enums', {
        enums: ir.enums.map((e) => ({ name: e.name, values: e.values.map(printString).join(', ') })),
      }),
    );
  }
  for (const entity of ir.entities) {
    files.push(file(`models/${entity.name}.ts`, 'model', modelView(ir, entity, config.runtimeImport)));
  }
  files.push(
    file('models/system.ts', 'system', {
      tables: SYSTEM_TABLES.map((t) => ({
        ...t,
        table: printString(t.table),
        properties: t.columns.map((c) => {
          const name = c.name.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase());
          return `@field(${printString(c.name)}) ${name}!: ${c.type}${c.isOptional ? ' | null' : ''};`;
        }),
      })),
      classList: SYSTEM_TABLES.map((t) => t.className).join(', '),
    }),
  );
  const names = ir.entities.map((e) => e.name);
  files.push(
    file('index.ts', 'index', {
      imports: names.reduce((imports, n) => imports.add(`./models/${n}`, n), new Imports().add('./models/system', 'systemModelClasses')).lines(),
      reexports: [
        ...(names.length > 0 ? [`export { ${names.join(', ')} };`] : []),
        `export { ${SYSTEM_TABLES.map((t) => t.className).join(', ')} } from './models/system.js';`,
        ...(ir.enums.length > 0 ? [`export * from './enums.js';`] : []),
      ],
      classList: [...names, '...systemModelClasses'].join(', '),
    }),
  );
  return files;
}

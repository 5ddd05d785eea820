import type { ResolvedConfig } from '../../config';
import { DiagnosticCode, diagnostic, type Diagnostic } from '../../diagnostics';
import { formatSource } from '../../emit/format';
import type { GeneratedFile } from '../../emit/generatedFile';
import { header } from '../../emit/header';
import { render } from '../../emit/render';
import type { Ir } from '../../ir/types';
import { adapterView } from './adapterView';
import { lowerFirst } from '../../ir/names';
import { Imports } from '../../emit/imports';
import { printConst, printLiteral, ref } from '../../emit/tsLiteral';
import { entityMeta, metaName } from './metaView';
import { dependencyOrder } from './order';

export interface ClientContext {
  ir: Ir;
  config: Pick<ResolvedConfig, 'runtimeImport'>;
}

/**
 * What the client runtime needs: parents listed before their children
 * (`defineRegistry` refuses otherwise), so belongsTo relations between
 * entities must not form a cycle.
 */
export function validateClient(context: ClientContext): Diagnostic[] {
  const ordered = dependencyOrder(context.ir.entities);
  const placed = new Set<string>();
  const out: Diagnostic[] = [];
  for (const entity of ordered) {
    for (const relation of entity.relations) {
      if (relation.kind !== 'belongsTo' || relation.target === entity.name || placed.has(relation.target)) continue;
      out.push(
        diagnostic(
          DiagnosticCode.unsupportedRelation,
          relation.location,
          `model ${entity.name} › field ${relation.name}: belongsTo relations form a cycle through ${relation.target}`,
          'Clients push parents before children; mark one relation of the cycle @sync.ignore.',
        ),
      );
    }
    placed.add(entity.name);
  }
  return out;
}

/** The client target: `client/registry.ts`, one `<Entity>Adapter.ts` per entity, `client/index.ts`. */
export function generateClient(context: ClientContext): GeneratedFile[] {
  const { ir, config } = context;
  const head = header();
  const file = (path: string, template: string, view: object): GeneratedFile => ({
    path: `client/${path}`,
    contents: formatSource(render(`client/${template}`, { header: head, ...view })),
  });
  const ordered = dependencyOrder(ir.entities);
  const files: GeneratedFile[] = [];
  files.push(
    file('registry.ts', 'registry', {
      imports: new Imports().add(`${config.runtimeImport}/client`, 'defineRegistry').addType(`${config.runtimeImport}/client`, 'EntityMeta').lines(),
      entities: ir.entities.map((e) => printConst(metaName(e), entityMeta(e), 'EntityMeta', `${e.name}: ${e.strategy}, ${e.direction}.`)),
      order: printLiteral(ordered.map((e) => ref(metaName(e)))),
    }),
  );
  for (const entity of ir.entities) files.push(file(`${entity.name}Adapter.ts`, 'adapter', adapterView(entity, config.runtimeImport)));
  files.push(
    file('index.ts', 'index', {
      imports: ir.entities
        .reduce((imports, e) => imports.add(`./${e.name}Adapter`, `${e.name}Adapter`), new Imports().addType(`${config.runtimeImport}/client`, 'AdapterContext'))
        .lines(),
      reexports: [
        `export { registry, ${ir.entities.map(metaName).join(', ')} } from './registry';`,
        ...ir.entities.map((e) =>
          e.direction === 'pullOnly'
            ? `export { ${e.name}Adapter } from './${e.name}Adapter';`
            : `export { ${e.name}Adapter, type ${e.name}Input, type ${e.name}Patch } from './${e.name}Adapter';`,
        ),
      ],
      members: ir.entities.map((e) => ({ property: lowerFirst(e.name), className: `${e.name}Adapter` })),
    }),
  );
  return files;
}

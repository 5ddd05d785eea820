import type { ResolvedConfig } from '../../config';
import type { Diagnostic } from '../../diagnostics';
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
import { deferredKeys, dependencyOrder, requiredCycleWarnings } from './order';

export interface ClientContext {
  ir: Ir;
  config: Pick<ResolvedConfig, 'runtimeImport'>;
}

/**
 * What the client runtime needs beyond the local-table rules (validated by the
 * WatermelonDB target for both). `defineRegistry` wants parents listed before
 * their children, and a cycle of belongsTo relations is broken by deferred
 * keys (order.ts `deferredKeys`, README "Relations"): a deferred key that is
 * required cannot be sent unset, so such a cycle gets a warning (TS123).
 */
export function validateClient(context: ClientContext): Diagnostic[] {
  return requiredCycleWarnings(context.ir.entities);
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
  const deferred = deferredKeys(ir.entities);
  const files: GeneratedFile[] = [];
  files.push(
    file('registry.ts', 'registry', {
      imports: new Imports().add(`${config.runtimeImport}/client`, 'defineRegistry').addType(`${config.runtimeImport}/client`, 'EntityMeta').lines(),
      entities: ir.entities.map((e) =>
        printConst(metaName(e), entityMeta(e, deferred.get(e.name)), 'EntityMeta', `${e.name}: ${e.strategy}, ${e.direction}.`),
      ),
      order: printLiteral(ordered.map((e) => ref(metaName(e)))),
    }),
  );
  for (const entity of ir.entities) files.push(file(`${entity.name}Adapter.ts`, 'adapter', adapterView(entity, config.runtimeImport)));
  files.push(
    file('index.ts', 'index', {
      imports: ir.entities
        .reduce(
          (imports, e) => imports.add(`./${e.name}Adapter`, `${e.name}Adapter`),
          new Imports().addType(`${config.runtimeImport}/client`, 'AdapterContext'),
        )
        .lines(),
      reexports: [
        `export { registry, ${ir.entities.map(metaName).join(', ')} } from './registry.js';`,
        ...ir.entities.map((e) =>
          e.direction === 'pullOnly'
            ? `export { ${e.name}Adapter } from './${e.name}Adapter.js';`
            : `export { ${e.name}Adapter, type ${e.name}Input, type ${e.name}Patch } from './${e.name}Adapter.js';`,
        ),
      ],
      members: ir.entities.map((e) => ({ property: lowerFirst(e.name), className: `${e.name}Adapter` })),
    }),
  );
  return files;
}

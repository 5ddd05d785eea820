import type { ResolvedConfig } from '../../config';
import { DiagnosticCode, diagnostic, type Diagnostic } from '../../diagnostics';
import { formatSource } from '../../emit/format';
import type { GeneratedFile } from '../../emit/generatedFile';
import { header } from '../../emit/header';
import { render } from '../../emit/render';
import type { Ir } from '../../ir/types';
import { entityFileView, validatorView } from './descriptorView';
import { SEQUENCE_FIELD, isPushable, sequenceField } from './fieldAccess';
import { sdlView } from './sdl';
import { tsEntityView } from './tsTypes';

export interface ServerContext {
  ir: Ir;
  config: Pick<ResolvedConfig, 'runtimeImport' | 'server'>;
}

/** The server runtime serves an entity only with its change-sequence field (runtime/server/core.ts). */
export function validateServer(context: ServerContext): Diagnostic[] {
  return context.ir.entities
    .filter((e) => !sequenceField(e))
    .map((e) =>
      diagnostic(
        DiagnosticCode.missingSequence,
        e.location,
        `model ${e.name}: no change-sequence field '${SEQUENCE_FIELD}'; the generated sync API refuses to serve it`,
        `Add \`/// @sync.ignore\` \`${SEQUENCE_FIELD} BigInt @default(0)\` and \`@@index([${e.scope}, ${SEQUENCE_FIELD}])\` (see server/prisma/sync.prisma).`,
        'warning',
      ),
    );
}

/**
 * The server target (SPEC §4–§5): `server/` with the SDL of the sync API,
 * typed resolvers over the shared runtime (`<runtimeImport>/server`), zod
 * validators, entity descriptors and the Prisma models the runtime needs.
 */
export function generateServer(context: ServerContext): GeneratedFile[] {
  const { ir, config } = context;
  const runtime = `${config.runtimeImport}/server`;
  const head = header();
  const file = (path: string, template: string, view: object): GeneratedFile => ({
    path: `server/${path}`,
    contents: formatSource(render(`server/${template}`, { header: head, ...view })),
  });
  const importLines = (specs: Record<string, string[]>) =>
    Object.keys(specs)
      .sort()
      .map((from) => {
        const names = [...new Set(specs[from])].sort((a, b) => a.replace(/^type /, '').localeCompare(b.replace(/^type /, '')));
        return `import { ${names.join(', ')} } from '${from}';`;
      });

  const pushable = ir.entities.filter(isPushable);
  const sdlBody = formatSource(render('server/schema.graphql', sdlView(ir)));
  const tsEntities = ir.entities.map((e) => tsEntityView(ir, e));
  const files: GeneratedFile[] = [
    { path: 'server/schema.graphql', contents: `${header('#')}${sdlBody}` },
    file('typeDefs.ts', 'typeDefs', { sdl: sdlBody }),
    file('entities.ts', 'entities', {
      imports: importLines({
        [runtime]: ['type SyncEntityDefinition', 'type SyncEntityDescriptor'],
        ...(pushable.length > 0 ? { './validators': pushable.flatMap((e) => [`${e.name}Create`, `${e.name}Update`]) } : {}),
      }),
      settings: {
        maxBatch: config.server.maxBatch,
        pageSizeMax: config.server.pageSize.max,
        tombstoneHorizonDays: config.server.tombstoneHorizonDays,
      },
      entities: ir.entities.map((e) => entityFileView(ir, e, config)),
    }),
    file('validators.ts', 'validators', { entities: pushable.map((e) => validatorView(ir, e)) }),
    file('authorize.ts', 'authorize', {
      runtime,
      entityUnion: ir.entities.length > 0 ? ir.entities.map((e) => `'${e.name}'`).join(' | ') : 'never',
      scope: ir.entities[0]?.scope ?? 'tenantId',
    }),
    file('resolverTypes.ts', 'resolverTypes', {
      imports: importLines({
        graphql: ['type GraphQLScalarType'],
        [runtime]: ['type SyncPullArgs', 'type SyncPullResponse', 'type SyncResultItem'],
      }),
      enums: ir.enums.map((e) => ({ name: e.name, union: e.values.map((v) => `'${v}'`).join(' | ') })),
      entities: tsEntities,
      pushableEntities: tsEntities.filter((e) => e.pushable),
    }),
    file('resolvers.ts', 'resolvers', {
      imports: importLines({
        [runtime]: ['createSyncHandlers', 'DateTimeScalar', 'JSONScalar', 'type SyncServerOptions'],
        './authorize': ['authorize'],
        './entities': ['entities', 'settings'],
        './resolverTypes': ['type SyncResolvers', ...ir.entities.map((e) => `type ${e.name}Record`)],
      }),
      entities: ir.entities.map((e) => ({ name: e.name })),
      pushableEntities: tsEntities.filter((e) => e.pushable),
    }),
    file('index.ts', 'index', {}),
    {
      path: 'server/prisma/sync.prisma',
      contents: formatSource(
        render('server/sync.prisma', {
          header: head,
          missing: ir.entities.filter((e) => !sequenceField(e)).map((e) => e.name),
          missingList: ir.entities
            .filter((e) => !sequenceField(e))
            .map((e) => e.name)
            .join(', '),
        }),
      ),
    },
  ];
  return files;
}

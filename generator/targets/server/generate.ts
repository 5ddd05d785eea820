import type { ResolvedConfig } from '../../config';
import { DiagnosticCode, diagnostic, type Diagnostic } from '../../diagnostics';
import { formatSource } from '../../emit/format';
import type { GeneratedFile } from '../../emit/generatedFile';
import { header } from '../../emit/header';
import { render } from '../../emit/render';
import type { Ir, SourceLocation } from '../../ir/types';
import { Imports } from '../../emit/imports';
import { printConst, printLiteral, printTemplateLiteral, ref } from '../../emit/tsLiteral';
import { entitySpec, validatorView } from './descriptorView';
import { isPushable, sequenceField } from './fieldAccess';
import { sdlPrismaModels } from './prismaModels';
import { hasFileFields, sdlView } from './sdl';
import { tsEntityView } from './tsTypes';

export interface ServerContext {
  ir: Ir;
  config: Pick<ResolvedConfig, 'runtimeImport' | 'server'>;
}

/** Type names the generated SDL declares itself (templates/server/schema.graphql.hbs). */
const SDL_TYPES = [
  'Query',
  'Mutation',
  'DateTime',
  'JSON',
  'SyncOp',
  'SyncPullResponse',
  'SyncResultItem',
  'ConflictPayload',
  // Declared when some entity has a file field (docs/PROTOCOL.md "Media").
  'SyncUploadTicketInput',
  'SyncUploadHeader',
  'SyncUploadTicket',
  'SyncFileUrl',
];

/**
 * The generated SDL declares a type per entity and enum plus derived ones
 * (`<Entity>PullResponse`, `<Entity>Data`, `<Entity>PushItem`): none may
 * collide with another or with the API's own types.
 */
export function validateServer(context: ServerContext): Diagnostic[] {
  const { ir } = context;
  const owners = new Map<string, string>(SDL_TYPES.map((t) => [t, 'the sync API']));
  const out: Diagnostic[] = [];
  const claim = (name: string, owner: string, at: SourceLocation) => {
    const previous = owners.get(name);
    if (previous) {
      out.push(
        diagnostic(
          DiagnosticCode.graphqlNameClash,
          at,
          `${owner}: GraphQL type '${name}' is already declared by ${previous}`,
          'Rename the model or enum.',
        ),
      );
    } else owners.set(name, owner);
  };
  for (const e of ir.enums) claim(e.name, `enum ${e.name}`, e.location);
  for (const e of ir.entities) {
    const derived = [e.name, `${e.name}PullResponse`, ...(isPushable(e) ? [`${e.name}Data`, `${e.name}PushItem`] : [])];
    for (const name of derived) claim(name, `model ${e.name}`, e.location);
  }
  return out;
}

/**
 * The server target (docs/PROTOCOL.md): `server/` with the SDL of the sync API,
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

  const pushable = ir.entities.filter(isPushable);
  const sdlBody = formatSource(render('server/schema.graphql', sdlView(ir)));
  const media = hasFileFields(ir);
  const tsEntities = ir.entities.map((e) => tsEntityView(ir, e));
  const files: GeneratedFile[] = [
    { path: 'server/schema.graphql', contents: `${header('#')}${sdlBody}` },
    file('typeDefs.ts', 'typeDefs', { sdl: printTemplateLiteral(`\n${sdlBody}`) }),
    file('entities.ts', 'entities', {
      imports: new Imports()
        .addType(runtime, ['SyncEntityDefinition', 'SyncEntitySpec'])
        .add(
          './validators',
          pushable.flatMap((e) => [`${e.name}Create`, `${e.name}Update`]),
        )
        .lines(),
      settings: printLiteral({
        maxBatch: config.server.maxBatch,
        pageSizeMax: config.server.pageSize.max,
        tombstoneHorizonDays: config.server.tombstoneHorizonDays,
      }),
      entities: ir.entities.map((e) =>
        printConst(`${e.name}Entity`, entitySpec(ir, e, config), 'SyncEntitySpec', `${e.name} (${e.strategy}, ${e.direction}).`),
      ),
      definitions: printLiteral(
        ir.entities.map((e) => ({
          descriptor: ref(`${e.name}Entity`),
          validators: isPushable(e) ? { create: ref(`${e.name}Create`), update: ref(`${e.name}Update`) } : null,
        })),
      ),
    }),
    file('validators.ts', 'validators', { imports: new Imports().add('zod', 'z').lines(), entities: pushable.map((e) => validatorView(ir, e)) }),
    file('authorize.ts', 'authorize', {
      imports: new Imports().add(runtime, 'tenantIsolation').addType(runtime, 'AuthorizeFn').lines(),
      entityUnion: ir.entities.length > 0 ? ir.entities.map((e) => `'${e.name}'`).join(' | ') : 'never',
      scope: ir.entities[0]?.scope ?? 'tenantId',
    }),
    file('resolverTypes.ts', 'resolverTypes', {
      imports: new Imports()
        .addType('graphql', 'GraphQLScalarType')
        .addType(runtime, [
          'SyncPullArgs',
          'SyncPullResponse',
          'SyncResultItem',
          ...(media ? ['SyncFileUrlResponse', 'SyncUploadTicketInput', 'SyncUploadTicketResponse'] : []),
        ])
        .lines(),
      files: media,
      enums: ir.enums.map((e) => ({ name: e.name, union: e.values.map((v) => `'${v}'`).join(' | ') })),
      entities: tsEntities,
      pushableEntities: tsEntities.filter((e) => e.pushable),
    }),
    file('resolvers.ts', 'resolvers', {
      imports: new Imports()
        .add(runtime, ['createSyncHandlers', 'DateTimeScalar', 'JSONScalar'])
        .addType(runtime, 'SyncServerOptions')
        .add('./authorize', 'authorize')
        .add('./entities', ['entities', 'settings'])
        .addType('./resolverTypes', ['SyncResolvers', ...ir.entities.map((e) => `${e.name}Record`)])
        .lines(),
      entities: ir.entities.map((e) => ({ name: e.name })),
      pushableEntities: tsEntities.filter((e) => e.pushable),
      files: media,
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
  const models = sdlPrismaModels(ir);
  if (models !== null) {
    files.push({
      path: 'server/prisma/models.prisma',
      contents: [
        head,
        '// The database models of the synced GraphQL types (README "Server"): an SDL',
        '// describes the API, not storage. Use this file with sync.prisma as the',
        "// server's Prisma schema (or, if your Prisma schema already has these models,",
        '// add the syncSeq lines and indexes shown here to them). Keys carry the',
        '// relations (no foreign-key constraints). Server-only fields of a type',
        '// without a Prisma equivalent (custom scalars, objects) are left out.',
        '',
        models,
      ].join('\n'),
    });
  }
  return files;
}

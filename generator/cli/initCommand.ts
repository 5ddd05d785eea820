import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { CONFIG_FILES } from '../config';
import { DiagnosticsError } from '../diagnostics';
import { checkEntityName, parseFieldSpecs, parseStrategy, prismaModel, sdlType } from '../scaffold/entityTemplate';
import { detectProject, type ProjectSchema } from '../scaffold/project';
import { appendBlocks, hasSyncedEntity, planAddEntity, validatePrismaAfter } from '../scaffold/schemaEdits';
import { applyChanges, planCreate, type FileChange } from '../scaffold/userFiles';
import { BASE_FIELDS_FILE, DIRECTIVES_FILE, prismaVocabulary } from '../scaffold/vocabulary';
import { ExitCode } from './generateCommand';
import { printDiagnostics, reportBadInput } from './report';
import { paint } from './output';
import { changesJson, describeChanges, optionalConfig, pickProject, type Io } from './scaffoldShared';

export interface InitFlags {
  /** Schema to annotate (default: detected). */
  schema?: string;
  /** Schema language for a project that has none yet. Default prisma. */
  type?: string;
  /** Name of the first entity. Default `Note`. */
  entity?: string;
  strategy?: string;
  fields?: string;
  /** Leave the schema alone (config and vocabulary files only). */
  skipEntity?: boolean;
  out?: string;
  json?: boolean;
}

/** The folder init writes the shipped vocabulary to (reference copies the user imports). */
export const VOCABULARY_DIR = 'trackhub-sync';

/**
 * `trackhub-sync init`: scaffold a config, the annotation vocabulary and a
 * first annotated entity. Only creates files that do not exist; the user's
 * schema is only appended to (never rewritten), and only when it has no
 * synced entity yet. Everything is validated before anything is written.
 */
export async function initCommand(flags: InitFlags, io: Io): Promise<number> {
  const p = paint(io.color ?? false);
  const fail = (message: string) => {
    if (flags.json) io.stdout(JSON.stringify({ status: 'error', message }, null, 2));
    else io.stderr(p.red(message));
    return ExitCode.badInput;
  };
  if (flags.type !== undefined && flags.type !== 'prisma' && flags.type !== 'graphql')
    return fail(`--type is prisma or graphql, not '${flags.type}'`);
  const entityName = flags.entity ?? 'Note';
  const nameError = checkEntityName(entityName);
  if (nameError) return fail(nameError);
  const strategy = parseStrategy(flags.strategy);
  if (!strategy.ok) return fail(strategy.error);
  const fields = parseFieldSpecs(flags.fields ?? 'title:String body:String?');
  if (!fields.ok) return fail(fields.error);
  const entity = { name: entityName, strategy: strategy.value, fields: fields.value };

  const cwd = io.cwd;
  let detected: ProjectSchema;
  try {
    // An existing config names the schema; otherwise detect it.
    const config = flags.schema ? null : await optionalConfig({}, cwd);
    detected = config ? pickProject(config, undefined, cwd) : detectProject(cwd, flags.schema);
  } catch (error) {
    if (!(error instanceof DiagnosticsError)) throw error;
    return reportBadInput(error.diagnostics, flags.json, io);
  }
  const changes: FileChange[] = [];
  let project: Exclude<ProjectSchema, { kind: 'none' }>;
  if (detected.kind === 'none') {
    project = newProject(cwd, flags.type === 'graphql' ? 'graphql' : 'prisma');
    const body = flags.skipEntity
      ? []
      : [project.kind === 'prisma' ? prismaModel(entity.name, entity.strategy, entity.fields) : sdlType(entity.name, entity.strategy, entity.fields)];
    const vocabularyRef = relative(dirname(project.path), join(cwd, VOCABULARY_DIR, vocabularyFileName(project.kind)))
      .split(sep)
      .join('/');
    changes.push(planCreate(project.path, newSchemaText(project.kind, body, vocabularyRef)));
  } else {
    project = detected;
    // An input that has a synced entity already (init ran before, perhaps killed half-way) is kept.
    if (flags.skipEntity) changes.push({ kind: 'keep', path: project.path, reason: '--skip-entity' });
    else if (hasSyncedEntity(project)) changes.push({ kind: 'keep', path: project.path, reason: 'has a synced entity' });
    else changes.push(...planAddEntity(project, entity, true));
  }

  const schemaRel = relative(cwd, project.path).split(sep).join('/');
  const existingConfig = CONFIG_FILES.map((f) => join(cwd, f)).find((f) => existsSync(f));
  changes.push(
    existingConfig
      ? { kind: 'keep', path: existingConfig, reason: 'exists; check that "schema" lists ' + schemaRel }
      : planCreate(join(cwd, 'trackhub-sync.config.json'), `${JSON.stringify({ schema: [schemaRel], out: flags.out ?? 'generated' }, null, 2)}\n`),
  );
  const vocabulary = project.kind === 'prisma' ? BASE_FIELDS_FILE : DIRECTIVES_FILE;
  changes.push(planCreate(join(cwd, VOCABULARY_DIR, vocabularyFileName(project.kind)), readFileSync(vocabulary, 'utf8')));

  if (project.kind === 'prisma') {
    const errors = validatePrismaAfter(project.path, project.folder, changes, cwd);
    if (errors.length) {
      if (flags.json) io.stdout(JSON.stringify({ status: 'error', diagnostics: errors }, null, 2));
      else {
        printDiagnostics(errors, io);
        io.stderr(p.red('init: the schema would not validate; nothing written.'));
      }
      return ExitCode.badInput;
    }
  }
  try {
    applyChanges(changes);
  } catch (error) {
    return fail((error as Error).message);
  }

  if (flags.json) {
    io.stdout(
      JSON.stringify({ status: 'initialized', schema: { kind: project.kind, path: schemaRel }, changes: changesJson(changes, cwd) }, null, 2),
    );
  } else {
    io.stdout(`${p.bold('trackhub-sync init')} (${project.kind} schema: ${schemaRel})`);
    io.stdout(describeChanges(changes, cwd, p).join('\n'));
    io.stdout(
      [
        '',
        'Next:',
        `  npx trackhub-sync add-entity Task --fields "title:String done:Boolean"   ${p.dim('# another synced entity')}`,
        `  npx trackhub-sync generate                                              ${p.dim('# write generated/')}`,
        `  npx trackhub-sync doctor                                                ${p.dim('# check the conventions')}`,
      ].join('\n'),
    );
  }
  return ExitCode.ok;
}

function newProject(cwd: string, kind: 'prisma' | 'graphql'): Exclude<ProjectSchema, { kind: 'none' }> {
  return kind === 'prisma' ? { kind, path: join(cwd, 'prisma', 'schema.prisma'), folder: false } : { kind, path: join(cwd, 'schema.graphql') };
}

/** A new schema for a project that has none: the datasource (Prisma), the status enum and the server's support models. */
function vocabularyFileName(kind: 'prisma' | 'graphql'): string {
  return kind === 'prisma' ? 'base-fields.prisma' : 'directives.graphql';
}

function newSchemaText(kind: 'prisma' | 'graphql', entities: string[], vocabularyRef: string): string {
  if (kind === 'graphql') {
    return appendBlocks(
      `# GraphQL schema of this mini-app (created by trackhub-sync init).\n# Directives and CrtBaseEntity: ${vocabularyRef}\n`,
      entities,
    );
  }
  const vocabulary = prismaVocabulary();
  const head = [
    '// Prisma schema of this mini-app (created by trackhub-sync init).',
    `// Synced entities carry the base fields of ${vocabularyRef}.`,
    '',
    'datasource db {',
    '  provider = "postgresql"',
    '}',
    '',
  ].join('\n');
  return appendBlocks(head, [vocabulary.statusEnum, ...entities, ...vocabulary.supportModels.values()]);
}

import { relative, sep } from 'node:path';
import { DiagnosticsError } from '../diagnostics';
import { writeOutput } from '../emit/write';
import { runPipelineAsync } from '../pipeline';
import { checkEntityName, parseFieldSpecs, parseStrategy } from '../scaffold/entityTemplate';
import { declaredNames, entityAsAdded, entityFile, planAddEntity, validatePrismaAfter } from '../scaffold/schemaEdits';
import { applyChanges } from '../scaffold/userFiles';
import { resolveConfig } from '../config';
import { ExitCode } from './generateCommand';
import { printDiagnostics, reportBadInput } from './report';
import { paint, progress } from './output';
import { changesJson, optionalConfig, pickProject, type Io } from './scaffoldShared';

export interface AddEntityFlags {
  strategy?: string;
  fields?: string;
  schema?: string;
  config?: string;
  /** `--no-generate` sets false. Default true. */
  generate?: boolean;
  json?: boolean;
}

/**
 * `trackhub-sync add-entity NAME`: append an annotated entity with every base
 * field (and the pull index) to the user's schema, keeping the rest of the
 * file byte for byte, then regenerate.
 */
export async function addEntityCommand(name: string, flags: AddEntityFlags, io: Io): Promise<number> {
  const p = paint(io.color ?? false);
  const fail = (message: string) => {
    if (flags.json) io.stdout(JSON.stringify({ status: 'error', message }, null, 2));
    else io.stderr(p.red(`add-entity: ${message}`));
    return ExitCode.badInput;
  };
  const nameError = checkEntityName(name);
  if (nameError) return fail(nameError);
  const strategy = parseStrategy(flags.strategy);
  if (!strategy.ok) return fail(strategy.error);

  const cwd = io.cwd;
  const bar = progress(io.progress);
  try {
    const config = await optionalConfig({ config: flags.config, schema: flags.schema ? [flags.schema] : undefined }, cwd);
    const project = pickProject(config, flags.schema, cwd);
    if (project.kind === 'none') return fail('no Prisma or GraphQL schema found; run `trackhub-sync init` first or pass --schema');
    const declared = declaredNames(project);
    // A field typed with a declared name is a relation to that entity (the entity itself is not one yet).
    const fields = parseFieldSpecs(flags.fields ?? '', new Set([...declared].filter((n) => n !== name)));
    if (!fields.ok) return fail(fields.error);
    const entity = { name, strategy: strategy.value, fields: fields.value };
    // Declared exactly as this command writes it: an earlier run (killed, or simply
    // run before) added it; this one completes what is missing and generates.
    const resumed = declared.has(name) && entityAsAdded(project, entity);
    if (declared.has(name) && !resumed)
      return fail(
        `'${name}' is already declared in ${relative(cwd, entityFile(project, name))}, not as add-entity would write it with these options; ` +
          'change it there, then run `trackhub-sync generate`',
      );
    const changes = planAddEntity(project, entity, false, resumed);
    const change = changes.at(-1)!;
    if (project.kind === 'prisma') {
      const errors = validatePrismaAfter(project.path, project.folder, changes, config?.baseDir ?? cwd);
      if (errors.length) {
        if (flags.json) io.stdout(JSON.stringify({ status: 'error', diagnostics: errors }, null, 2));
        else printDiagnostics(errors, io);
        return fail('the schema would not validate; nothing written');
      }
    }
    applyChanges(changes);
    const shownSchema = relative(cwd, change.path).split(sep).join('/');

    let generated: { out: string; written: number; unchanged: number; removed: number } | null = null;
    if (flags.generate !== false) {
      bar.step('generating');
      const resolved = config ?? (await resolveConfig({ schema: [project.path] }, cwd));
      const result = await runPipelineAsync(resolved);
      bar.step('writing');
      const summary = writeOutput(result.files, resolved.out, resolved.baseDir, { sameOnDisk: result.sameOnDisk });
      generated = {
        out: relative(cwd, resolved.out) || '.',
        written: summary.written.length,
        unchanged: summary.unchanged.length,
        removed: summary.removed.length,
      };
    }
    bar.done();
    if (flags.json) {
      io.stdout(
        JSON.stringify(
          { status: resumed ? 'present' : 'added', entity: name, strategy: strategy.value, changes: changesJson(changes, cwd), generated },
          null,
          2,
        ),
      );
    } else {
      const rest = changes.some((c) => c.kind !== 'keep') ? 'added the rest' : 'nothing to add';
      io.stdout(
        resumed
          ? `${p.bold(name)} (${strategy.value}) is already in ${shownSchema} as add-entity writes it; ${rest}`
          : `${p.green('added')} ${p.bold(name)} (${strategy.value}) to ${shownSchema}`,
      );
      if (generated)
        io.stdout(
          `${generated.out}: ${generated.written} written, ${generated.unchanged} unchanged` +
            (generated.removed ? `, ${generated.removed} removed` : ''),
        );
    }
    return ExitCode.ok;
  } catch (error) {
    bar.done();
    if (!(error instanceof DiagnosticsError)) throw error;
    return reportBadInput(error.diagnostics, flags.json, io);
  }
}

import { readFileSync } from 'node:fs';
import type { ResolvedConfig } from '../config';
import { DiagnosticCode, DiagnosticsError, type Diagnostic } from '../diagnostics';
import { loadIr } from '../pipeline';
import { displayPath } from '../readers/readInputs';
import { checkPrismaSchema, type Finding } from '../scaffold/doctorChecks';
import { detectProject, prismaFiles } from '../scaffold/project';
import { validatePrismaAfter } from '../scaffold/schemaEdits';
import { applyChanges, sweepDeadTemps, type FileChange } from '../scaffold/userFiles';
import { resolveConfig } from '../config';
import { ExitCode } from './generateCommand';
import { printDiagnostics, reportBadInput } from './report';
import { paint, progress, type Paint } from './output';
import { optionalConfig, type Io } from './scaffoldShared';

export interface DoctorFlags {
  fix?: boolean;
  schema?: string[];
  config?: string;
  json?: boolean;
}

/** Exit code when conventions are broken (like a linter); bad input stays 2. */
export const DOCTOR_PROBLEMS = 1;

interface Examination {
  findings: Finding[];
  diagnostics: Diagnostic[];
  entities: number;
  /** Prisma files with every fixable finding fixed. */
  fixes: FileChange[];
}

/**
 * `trackhub-sync doctor [--fix]`: check the schema inputs against the
 * conventions (base fields, unique clientId, the indexes, the change sequence
 * and support models the server needs) and the generator's own validation. `--fix` inserts what is missing
 * into the Prisma files, validates the result with Prisma's engine first, and
 * writes nothing if it would not validate.
 */
export async function doctorCommand(flags: DoctorFlags, io: Io): Promise<number> {
  const p = paint(io.color ?? false);
  const bar = progress(io.progress);
  try {
    const config = (await optionalConfig(flags, io.cwd)) ?? (await configFromDetection(io.cwd));
    if (!config) {
      const message = 'no Prisma or GraphQL schema found; run `trackhub-sync init` or pass --schema';
      if (flags.json) io.stdout(JSON.stringify({ status: 'error', message }, null, 2));
      else io.stderr(p.red(`doctor: ${message}`));
      return ExitCode.badInput;
    }
    // A fix killed half-way may have left temporary siblings; running --fix again removes them.
    if (flags.fix) sweepDeadTemps(config.schema.filter(isPrismaInput).flatMap(prismaFiles));
    let exam = examine(config, (label) => bar.step(label));
    let fixed: Finding[] = [];
    if (flags.fix && exam.fixes.length) {
      for (const input of config.schema.filter(isPrismaInput)) {
        const errors = validatePrismaAfter(input, !input.endsWith('.prisma'), exam.fixes, config.baseDir);
        if (errors.length) {
          bar.done();
          if (flags.json) io.stdout(JSON.stringify({ status: 'error', diagnostics: errors }, null, 2));
          else {
            printDiagnostics(errors, io);
            io.stderr(p.red('doctor --fix: the fixed schema would not validate; nothing written.'));
          }
          return ExitCode.badInput;
        }
      }
      applyChanges(exam.fixes);
      fixed = exam.findings.filter((f) => f.fixable);
      exam = examine(config, (label) => bar.step(label));
    }
    bar.done();
    const errors = exam.diagnostics.filter((d) => d.severity === 'error');
    const status = errors.length ? 'error' : exam.findings.length ? 'problems' : 'ok';
    if (flags.json) {
      io.stdout(JSON.stringify({ status, entities: exam.entities, fixed, findings: exam.findings, diagnostics: exam.diagnostics }, null, 2));
    } else {
      for (const f of fixed) io.stdout(`${p.green('fixed')} ${f.location.file}: ${f.message}`);
      for (const f of exam.findings) io.stderr(formatFinding(f, p));
      printDiagnostics(exam.diagnostics, io);
      io.stdout(
        status === 'ok'
          ? p.green(`doctor: ${exam.entities} synced entit${exam.entities === 1 ? 'y' : 'ies'}, no problems found`)
          : `doctor: ${exam.findings.length} convention problem(s), ${errors.length} error(s)` +
              (exam.findings.some((f) => f.fixable) ? ' — `trackhub-sync doctor --fix` adds what is missing' : ''),
      );
    }
    return errors.length ? ExitCode.badInput : exam.findings.length ? DOCTOR_PROBLEMS : ExitCode.ok;
  } catch (error) {
    bar.done();
    if (!(error instanceof DiagnosticsError)) throw error;
    return reportBadInput(error.diagnostics, flags.json, io);
  }
}

async function configFromDetection(cwd: string): Promise<ResolvedConfig | null> {
  const project = detectProject(cwd);
  return project.kind === 'none' ? null : resolveConfig({ schema: [project.path] }, cwd);
}

function isPrismaInput(path: string): boolean {
  return !/\.(graphql|gql)$/.test(path);
}

function examine(config: ResolvedConfig, step: (label: string) => void): Examination {
  const findings: Finding[] = [];
  const fixes: FileChange[] = [];
  for (const input of config.schema.filter(isPrismaInput)) {
    step(`checking ${displayPath(config.baseDir, input)}`);
    const files = prismaFiles(input);
    const check = checkPrismaSchema(files, config.baseDir, { server: config.targets.server, baseFields: config.baseFields });
    findings.push(...check.findings);
    for (const [path, contents] of check.fixed) {
      const before = readFileSync(path, 'utf8');
      if (contents !== before) fixes.push({ kind: 'edit', path, before, contents });
    }
  }
  step('validating');
  let diagnostics: Diagnostic[] = [];
  let entities = 0;
  try {
    const { ir, warnings } = loadIr(config);
    diagnostics = warnings;
    entities = ir.entities.length;
  } catch (error) {
    if (!(error instanceof DiagnosticsError)) throw error;
    diagnostics = error.diagnostics;
  }
  // A missing base or scope field of a Prisma model is already a (fixable) finding.
  const covered = new Set(findings.filter((f) => f.code === 'DR101').map((f) => f.location.file));
  const restated: string[] = [DiagnosticCode.missingBaseField, DiagnosticCode.unknownScope];
  diagnostics = diagnostics.filter((d) => !(restated.includes(d.code) && covered.has(d.file)));
  return { findings, diagnostics, entities, fixes };
}

function formatFinding(f: Finding, p: Paint): string {
  const head = `${f.location.file}:${f.location.line}:${f.location.column} ${f.code} ${f.message}`;
  return `${p.yellow(head)}\n${p.dim(`  Hint: ${f.hint}`)}`;
}

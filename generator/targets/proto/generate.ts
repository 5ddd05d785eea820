import { join } from 'node:path';
import type { ResolvedConfig } from '../../config';
import { DiagnosticCode, diagnostic, hasErrors, type Diagnostic } from '../../diagnostics';
import { formatSource } from '../../emit/format';
import type { GeneratedFile } from '../../emit/generatedFile';
import { header } from '../../emit/header';
import { render } from '../../emit/render';
import type { Ir } from '../../ir/types';
import type { ProtoFileFacts } from '../../readers/proto/protoFacts';
import { displayPath } from '../../readers/readInputs';
import { editProto, type MessageEdit } from './editProto';
import type { PreviousSyncProto } from '../../readers/proto/readPreviousSyncProto';
import { syncProtoPath } from './layout';
import { matchMessages } from './matchMessages';
import { NumberBook, readPreviousNumbers, type PreviousNumbers } from './numberBook';
import { planFields } from './planFields';
import { syncProtoView } from './syncProtoView';

export interface ProtoContext {
  ir: Ir;
  config: Pick<ResolvedConfig, 'proto' | 'configFile' | 'baseDir' | 'out'>;
  /** The parsed `--proto` inputs (readers/proto/readProtoInputs.ts). */
  protos: readonly ProtoFileFacts[];
  /** The `sync.proto` currently in the output folder (readers/proto/readPreviousSyncProto.ts), whose numbers are kept; null when there is none. */
  previousSyncProto: PreviousSyncProto | null;
}

/**
 * The proto target (README "Proto"): every user `.proto` file holding a synced
 * entity's message, with the missing sync fields inserted (an external file,
 * edited in place), plus `proto/<package as folders>/sync.proto`. Call
 * `validateProto` first: a message that cannot be edited is an error there,
 * and then nothing is written.
 */
export function generateProto(context: ProtoContext): GeneratedFile[] {
  const { editsByFile, previous, diagnostics } = planProto(context);
  if (hasErrors(diagnostics)) throw new Error('internal: generateProto called on input validateProto refuses');
  const files: GeneratedFile[] = [...editsByFile].map(([file, edits]) => ({
    path: file.shown,
    contents: editProto(file, edits),
    external: true,
  }));
  const view = syncProtoView(context.ir, context.config.proto.package, new NumberBook(previous));
  files.push({ path: syncProtoPath(context.config.proto.package), contents: formatSource(render('proto/sync', { header: header(), ...view })) });
  return files;
}

/** Every problem of the proto target: messages not found or ambiguous, fields that cannot be added, an unreadable previous sync.proto. */
export function validateProto(context: ProtoContext): Diagnostic[] {
  return planProto(context).diagnostics;
}

function planProto(context: ProtoContext) {
  const { ir, config, protos } = context;
  const configFile = config.configFile ? displayPath(config.baseDir, config.configFile) : '<flags>';
  const without = new Set(config.proto.withoutMessage);
  const { matches, diagnostics } = matchMessages(
    ir.entities.filter((e) => !without.has(e.name)),
    protos,
    config.proto.messages,
    configFile,
  );
  for (const name of [...without].sort()) {
    const problem = !ir.entities.some((e) => e.name === name)
      ? `proto.withoutMessage names '${name}', which is not a synced entity`
      : config.proto.messages[name] !== undefined
        ? `proto.withoutMessage names '${name}', which proto.messages maps to a message`
        : null;
    if (problem) {
      diagnostics.push(
        diagnostic(
          DiagnosticCode.proto,
          { file: configFile, line: 1, column: 1 },
          problem,
          `Entity names: ${ir.entities.map((e) => e.name).join(', ') || '(none)'}.`,
        ),
      );
    }
  }
  const editsByFile = new Map<ProtoFileFacts, MessageEdit[]>();
  for (const { file, message, entity } of matches) {
    const plan = planFields(message, file, config.proto.timestampType, entity.baseFields);
    if (!plan.ok) {
      diagnostics.push(...plan.diagnostics);
      continue;
    }
    editsByFile.set(file, [...(editsByFile.get(file) ?? []), { message, additions: plan.additions }]);
  }
  const previous = previousNumbers(context.previousSyncProto, config, diagnostics);
  return { editsByFile, previous, diagnostics };
}

function previousNumbers(
  file: PreviousSyncProto | null,
  config: Pick<ResolvedConfig, 'baseDir' | 'out'>,
  diagnostics: Diagnostic[],
): PreviousNumbers | null {
  if (file === null) return null;
  try {
    return readPreviousNumbers(file.text);
  } catch (error) {
    diagnostics.push(
      diagnostic(
        DiagnosticCode.proto,
        { file: displayPath(config.baseDir, join(config.out, file.path)), line: 1, column: 1 },
        `the existing ${file.path} does not parse (${(error as Error).message}); its field numbers cannot be kept`,
        'Restore it from version control, or delete it to number sync.proto from scratch (a wire break for deployed clients).',
      ),
    );
    return null;
  }
}

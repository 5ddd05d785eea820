import { parseAnnotations, type CommentLine } from '../annotations/parseAnnotations';
import type { Annotation } from '../readers/facts';

/**
 * A light, position-keeping view of a Prisma schema's text, for edits that
 * insert text at offsets and never reprint the schema (init, add-entity,
 * doctor --fix). Validity is Prisma's business: callers validate the edited
 * text with Prisma's own engine.
 */

export interface FieldLine {
  name: string;
  /** Type as written, e.g. `String?`, `Int[]`. */
  type: string;
  /** Everything after the type (attributes, trailing comment). */
  rest: string;
  /** Offset of the line's first character and of its end (before the newline). */
  lineStart: number;
  lineEnd: number;
  /** 1-based line number. */
  line: number;
}

export interface BlockText {
  keyword: 'model' | 'enum' | 'view' | 'type' | 'datasource' | 'generator';
  name: string;
  /** Offset of the block's first `///` line (or of the block line when it has none). */
  start: number;
  /** Text of the `///` lines right above the block. */
  docs: CommentLine[];
  /** 1-based line of the `model X {` line. */
  line: number;
  /** Offset of the line after the `model X {` line. */
  bodyStart: number;
  /** Offset of the start of the closing `}` line. */
  closeLineStart: number;
  /** Offset just after the closing `}`. */
  end: number;
  /** Indentation of the block's members (two spaces when the block is empty). */
  indent: string;
  fields: FieldLine[];
  /** Block attributes (`@@index([...])`), trimmed. */
  attributes: string[];
}

const BLOCK = /^\s*(model|enum|view|type|datasource|generator)\s+(\w+)\s*\{\s*(?:\/\/.*)?$/;
const FIELD = /^(\s*)(\w+)(\s+)([\w.]+(?:\(.*?\))?(?:\[\]|\?)?)(.*)$/;
const DOC = /^(\s*)\/\/\/(.*)$/;

/** Scan every top-level block of one schema file. */
export function scanPrisma(file: string, text: string): BlockText[] {
  const blocks: BlockText[] = [];
  let current: BlockText | null = null;
  let docs: CommentLine[] = [];
  let docsStart = 0;
  let offset = 0;
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const lineStart = offset;
    offset += raw.length + 1;
    const line = raw.replace(/\r$/, '');
    const doc = DOC.exec(line);
    if (!current) {
      if (doc) {
        if (docs.length === 0) docsStart = lineStart;
        docs.push({ text: doc[2]!, location: { file, line: index + 1, column: doc[1]!.length + 4 } });
        return;
      }
      const block = BLOCK.exec(line);
      if (block) {
        current = {
          keyword: block[1] as BlockText['keyword'],
          name: block[2]!,
          start: docs.length ? docsStart : lineStart,
          docs,
          line: index + 1,
          bodyStart: offset,
          closeLineStart: -1,
          end: -1,
          indent: '',
          fields: [],
          attributes: [],
        };
        blocks.push(current);
      }
      docs = [];
      return;
    }
    const trimmed = line.trim();
    if (trimmed.startsWith('}')) {
      current.closeLineStart = lineStart;
      current.end = lineStart + line.indexOf('}') + 1;
      if (!current.indent) current.indent = '  ';
      current = null;
      return;
    }
    if (trimmed === '' || trimmed.startsWith('//')) return;
    if (!current.indent) current.indent = /^\s*/.exec(line)![0];
    if (trimmed.startsWith('@@')) {
      current.attributes.push(trimmed);
      return;
    }
    const field = FIELD.exec(line);
    if (field && current.keyword !== 'enum') {
      current.fields.push({
        name: field[2]!,
        type: field[4]!,
        rest: field[5]!.trim(),
        lineStart,
        lineEnd: lineStart + line.length,
        line: index + 1,
      });
    }
  });
  return blocks;
}

/** The entity-level `@sync` annotation of a block, if it is synced. */
export function syncAnnotation(block: BlockText): Annotation | undefined {
  return parseAnnotations(block.docs).annotations.find((a) => a.name === 'sync');
}

/** A pure text edit: insert `text` at `offset` of the original text. */
export interface TextEdit {
  offset: number;
  text: string;
}

/** Apply insertions (offsets refer to the original text; equal offsets keep their order). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const ordered = edits.map((e, i) => ({ ...e, i })).sort((a, b) => b.offset - a.offset || b.i - a.i);
  let result = text;
  for (const edit of ordered) result = result.slice(0, edit.offset) + edit.text + result.slice(edit.offset);
  return result;
}

/**
 * Format field lines the way `prisma format` aligns a block (name, type and
 * attributes in columns), using the widths of the block's existing fields
 * when they are wider, so inserted lines line up with what is there.
 */
export function alignFields(
  fields: readonly { name: string; type: string; rest: string }[],
  indent: string,
  existing: readonly FieldLine[] = [],
): string[] {
  const all = [...existing, ...fields];
  const nameWidth = Math.max(...all.map((f) => f.name.length));
  const typeWidth = Math.max(...all.map((f) => f.type.length));
  return fields.map((f) =>
    (f.rest
      ? `${indent}${f.name.padEnd(nameWidth)} ${f.type.padEnd(typeWidth)} ${f.rest}`
      : `${indent}${f.name.padEnd(nameWidth)} ${f.type}`
    ).trimEnd(),
  );
}

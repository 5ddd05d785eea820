import type { SourceLocation } from '../../ir/types';
import type { CommentLine } from '../../annotations/parseAnnotations';

/**
 * Source positions for a Prisma schema. Prisma's engine gives facts without
 * positions, so diagnostics look the declarations up in the text here.
 */

export interface LocatedField {
  name: string;
  location: SourceLocation;
  typeLocation: SourceLocation;
  docs: CommentLine[];
}

export interface LocatedBlock {
  keyword: 'model' | 'enum' | 'view' | 'type';
  name: string;
  location: SourceLocation;
  docs: CommentLine[];
  fields: Map<string, LocatedField>;
}

const BLOCK = /^(\s*)(model|enum|view|type)\s+(\w+)\s*\{/;
const FIELD = /^(\s*)(\w+)(\s+)([\w.]+)/;
const DOC = /^(\s*)\/\/\/(.*)$/;

export function locateBlocks(file: string, text: string): LocatedBlock[] {
  const lines = text.split(/\r?\n/);
  const blocks: LocatedBlock[] = [];
  let current: LocatedBlock | null = null;
  let pendingDocs: CommentLine[] = [];
  lines.forEach((raw, index) => {
    const line = index + 1;
    const doc = DOC.exec(raw);
    if (doc) {
      pendingDocs.push({ text: doc[2]!, location: { file, line, column: doc[1]!.length + 4 } });
      return;
    }
    if (!current) {
      const block = BLOCK.exec(raw);
      if (block) {
        current = {
          keyword: block[2] as LocatedBlock['keyword'],
          name: block[3]!,
          location: { file, line, column: block[1]!.length + block[2]!.length + 2 },
          docs: pendingDocs,
          fields: new Map(),
        };
        blocks.push(current);
      }
      pendingDocs = [];
      return;
    }
    if (/^\s*\}/.test(raw)) {
      current = null;
      pendingDocs = [];
      return;
    }
    const field = FIELD.exec(raw);
    if (field && !/^\s*@@/.test(raw)) {
      const [, indent, name, gap] = field;
      const docs = [...pendingDocs];
      const trailing = raw.indexOf('///');
      if (trailing >= 0) docs.push({ text: raw.slice(trailing + 3), location: { file, line, column: trailing + 4 } });
      current.fields.set(name!, {
        name: name!,
        location: { file, line, column: indent!.length + 1 },
        typeLocation: { file, line, column: indent!.length + name!.length + gap!.length + 1 },
        docs,
      });
    }
    pendingDocs = [];
  });
  return blocks;
}

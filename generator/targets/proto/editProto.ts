import type { ProtoFileFacts, ProtoMessageFacts } from '../../readers/proto/protoFacts';
import { TIMESTAMP_IMPORT, TIMESTAMP_TYPE, type FieldAddition } from './planFields';

export interface MessageEdit {
  message: ProtoMessageFacts;
  additions: FieldAddition[];
}

/** The comment line above added fields, so a reader of the .proto knows where they came from. */
export const ADDED_COMMENT = '// Offline-first sync fields, added by trackhub-sync.';

/**
 * Insert the planned fields into the file text, each block just before its
 * message's closing brace and indented like the message's body. Every other
 * byte of the file is kept: this is an edit, not a rewrite. When added
 * fields are google.protobuf.Timestamp and the file lacks its import, the
 * import is added after the last import (or the package statement).
 */
export function editProto(file: ProtoFileFacts, edits: readonly MessageEdit[]): string {
  const text = file.text;
  const indentUnit = detectIndentUnit(text);
  const label = file.syntax === 'proto2' ? 'optional ' : '';
  const splices: Splice[] = [];
  const changed = edits.filter((e) => e.additions.length > 0);
  for (const { message, additions } of changed) {
    const closeLineStart = text.lastIndexOf('\n', message.close - 1) + 1;
    const closeLineIndent = /^[ \t]*/.exec(text.slice(closeLineStart))![0];
    const braceAlone = text.slice(closeLineStart, message.close).trim() === '';
    const indent = braceAlone ? bodyIndent(text, message, closeLineIndent, indentUnit) : closeLineIndent + indentUnit;
    const lines = [ADDED_COMMENT, ...additions.map((a) => `${label}${a.type} ${a.name} = ${a.number};`)].map((l) => indent + l);
    if (braceAlone) {
      // The closing brace is on its own line: insert whole lines before it,
      // after a blank line when the body above ends with a declaration.
      const previous = text.slice(text.lastIndexOf('\n', closeLineStart - 2) + 1, closeLineStart).trim();
      const gap = previous === '' || previous.endsWith('{') ? '' : '\n';
      splices.push({ at: closeLineStart, until: closeLineStart, insert: `${gap}${lines.join('\n')}\n` });
    } else {
      // `message A { string x = 1; }` or `message A {}`: open the brace onto lines.
      let at = message.close;
      while (at > message.open + 1 && (text[at - 1] === ' ' || text[at - 1] === '\t')) at--;
      splices.push({ at, until: message.close, insert: `\n${lines.join('\n')}\n${closeLineIndent}` });
    }
  }
  // Added Timestamp fields need the import (when the config names google.protobuf.Timestamp).
  const needsTimestamp = changed.some((e) => e.additions.some((a) => a.type === TIMESTAMP_TYPE));
  if (needsTimestamp && !file.imports.includes(TIMESTAMP_IMPORT)) {
    const { offset, afterImport } = file.importAt;
    const statement = `import "${TIMESTAMP_IMPORT}";\n`;
    splices.push({ at: offset, until: offset, insert: afterImport ? statement : offset === 0 ? `${statement}\n` : `\n${statement}` });
  }
  // Inserted lines end like the file's lines (CRLF files stay CRLF).
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  // Offsets refer to the original text: apply from the end so none moves.
  let result = text;
  for (const { at, until, insert } of splices.sort((a, b) => b.at - a.at)) {
    result = `${result.slice(0, at)}${insert.replace(/\n/g, eol)}${result.slice(until)}`;
  }
  return result;
}

/** Replace `text[at, until)` with `insert`. */
interface Splice {
  at: number;
  until: number;
  insert: string;
}

/** Indentation of the first non-blank line inside the body, if deeper than the closing brace. */
function bodyIndent(text: string, message: ProtoMessageFacts, closeIndent: string, unit: string): string {
  const body = text.slice(text.indexOf('\n', message.open) + 1, message.close);
  const first = body.split('\n').find((l) => l.trim() !== '');
  const indent = first === undefined ? '' : /^[ \t]*/.exec(first)![0];
  return indent.length > closeIndent.length ? indent : closeIndent + unit;
}

/** The file's indentation step: the leading whitespace of its first indented line, else two spaces. */
function detectIndentUnit(text: string): string {
  // Block-comment continuation lines (` * text`) say nothing about indentation.
  const line = text.split('\n').find((l) => /^[ \t]+[^\s*]/.test(l));
  return line ? /^[ \t]+/.exec(line)![0] : '  ';
}

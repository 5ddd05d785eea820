/**
 * Final formatting of every generated text file. Templates already lay code
 * out; this removes what template loops leave behind (trailing spaces, runs of
 * blank lines, blank lines after an opening brace) so the output is stable.
 */
export function formatSource(text: string): string {
  return `${text
    .replace(/\r\n/g, '\n')
    // Trailing spaces and tabs before any line terminator (as `/[ \t]+$/gm`; without the multiline
    // flag V8 does not retry every indentation run).
    .replace(/[ \t]+(?=[\n\r\u2028\u2029]|$)/g, '')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/([{[(]\n)\n+/g, '$1')
    .replace(/\n\n+(\s*[}\])])/g, '\n$1')
    .trim()}\n`;
}

/**
 * Final formatting of every generated text file. Templates already lay code
 * out; this removes what template loops leave behind (trailing spaces, runs of
 * blank lines, blank lines after an opening brace) so the output is stable.
 */
export function formatSource(text: string): string {
  return `${text
    .replace(/\r\n/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/([{[(]\n)\n+/g, '$1')
    .replace(/\n\n+(\s*[}\])])/g, '\n$1')
    .trim()}\n`;
}

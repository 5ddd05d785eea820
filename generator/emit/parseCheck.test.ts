import { describe, expect, it } from 'vitest';
import type { GeneratedFile } from './generatedFile';
import { parseCheck, startParseCheck } from './parseCheck';

const broken: GeneratedFile[] = [
  { path: 'server/entities.ts', contents: "export const a = 'it's';\n" },
  { path: 'client/index.ts', contents: 'export const ok = 1;\nexport function f( {\n' },
  // JSDoc is not parsed, and a malformed tag is no parse error of a .ts file either way.
  { path: 'client/doc.ts', contents: '/** @param {{ */\nexport const b = [1, 2;\n' },
];
const fine: GeneratedFile[] = [
  { path: 'watermelon/schema.ts', contents: '/** @type {string} */\nexport const s: string = `x` + String(1);\n' },
  { path: 'README.md', contents: 'not ( typescript' },
];

describe('startParseCheck (worker thread)', () => {
  it('reports exactly what parseCheck reports, for files added in batches', async () => {
    const check = startParseCheck();
    check.add([fine[0]!, broken[0]!]);
    check.add([fine[1]!]);
    check.add(broken.slice(1));
    const found = await check.result();
    expect(found.length).toBeGreaterThanOrEqual(3);
    expect(new Set(found.map((d) => d.file))).toEqual(new Set(broken.map((f) => `(generated) ${f.path}`)));
    expect(found).toEqual(parseCheck([fine[0]!, broken[0]!, fine[1]!, ...broken.slice(1)]));
  });

  it('checks on the main thread when the worker cannot load TypeScript', async () => {
    const check = startParseCheck({ eager: true, typescript: '/nonexistent/typescript.js' });
    check.add(broken);
    const found = await check.result();
    expect(found.length).toBeGreaterThanOrEqual(3);
    expect(found).toEqual(parseCheck(broken));
  });

  it('reports nothing for files that parse, started eagerly or not', async () => {
    const eager = startParseCheck({ eager: true });
    eager.add(fine);
    expect(await eager.result()).toEqual([]);
    expect(await startParseCheck({ eager: true }).result()).toEqual([]);
    expect(await startParseCheck().result()).toEqual([]);
  });
});

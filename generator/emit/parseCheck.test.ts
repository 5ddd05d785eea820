import { describe, expect, it } from 'vitest';
import type { GeneratedFile } from './generatedFile';
import { parseCheck, startParseCheck } from './parseCheck';
import { prestartParseCheckWorker, takePrestartedWorker, typescriptPath } from './parseCheckWorker';

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

describe('the worker pre-started by the bin (bin/main.ts)', () => {
  const typescript = typescriptPath()!;

  it('is the one the next check uses, once, with the same diagnostics', async () => {
    expect(prestartParseCheckWorker(typescript)).toBe(true);
    const check = startParseCheck();
    // Taken by the check: nothing left for another one.
    expect(takePrestartedWorker(typescript)).toBeNull();
    check.add(broken);
    expect(await check.result()).toEqual(parseCheck(broken));
  });

  it('is left alone by a check that loads another TypeScript', async () => {
    expect(prestartParseCheckWorker(typescript)).toBe(true);
    const other = startParseCheck({ typescript: '/nonexistent/typescript.js' });
    const kept = takePrestartedWorker(typescript);
    expect(kept).not.toBeNull();
    await kept!.worker.terminate();
    other.cancel();
  });

  it('falls back to the main thread when it cannot load TypeScript', async () => {
    expect(prestartParseCheckWorker('/nonexistent/typescript.js')).toBe(true);
    const check = startParseCheck({ typescript: '/nonexistent/typescript.js' });
    expect(takePrestartedWorker('/nonexistent/typescript.js')).toBeNull();
    check.add(broken);
    expect(await check.result()).toEqual(parseCheck(broken));
  });

  it('is stopped without waiting when nothing needs the check', async () => {
    expect(prestartParseCheckWorker(typescript)).toBe(true);
    const check = startParseCheck();
    check.add(fine.filter((f) => !f.path.endsWith('.ts')));
    expect(await check.result()).toEqual([]);
  });

  it('is not started without TypeScript', () => {
    expect(prestartParseCheckWorker(null)).toBe(false);
    expect(takePrestartedWorker(typescript)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { colorEnabled, paint, progress } from '../cli/output';
import { reportBadInput } from '../cli/report';
import { parseFieldSpecs, parseStrategy, prismaModel } from './entityTemplate';
import { alignFields, applyEdits, scanPrisma } from './prismaText';
import { DEDUPE_MODEL_NAME, prismaVocabulary } from './vocabulary';

describe('field specs', () => {
  it('parses optional and list fields and rejects what would not generate', () => {
    const parsed = parseFieldSpecs('title:String done:Boolean, dueAt:DateTime? tags:String[]');
    expect(parsed).toEqual({
      ok: true,
      value: [
        { name: 'title', type: 'String', optional: false, list: false },
        { name: 'done', type: 'Boolean', optional: false, list: false },
        { name: 'dueAt', type: 'DateTime', optional: true, list: false },
        { name: 'tags', type: 'String', optional: false, list: true },
      ],
    });
    expect(parseFieldSpecs('n:Strin')).toMatchObject({ ok: false, error: expect.stringContaining("did you mean 'String'") });
    expect(parseFieldSpecs('version:Int')).toMatchObject({ ok: false, error: expect.stringContaining('base field') });
    expect(parseFieldSpecs('a:Int a:Int')).toMatchObject({ ok: false, error: expect.stringContaining('twice') });
    expect(parseFieldSpecs('Title:String')).toMatchObject({ ok: false });
    expect(parseStrategy('serverMerg')).toMatchObject({ ok: false, error: expect.stringContaining("'serverMerge'") });
  });
});

describe('relation field specs', () => {
  it('a type naming an entity is a relation held by <name>Id; the model gets the key and the @relation', () => {
    const parsed = parseFieldSpecs('body:String task:Task?', new Set(['Task']));
    expect(parsed).toEqual({
      ok: true,
      value: [
        { name: 'body', type: 'String', optional: false, list: false },
        { name: 'task', relation: 'Task', optional: true },
      ],
    });
    const model = prismaModel('Comment', 'lastWriteWins', parsed.ok ? parsed.value : []);
    expect(model).toMatch(/\n {2}taskId +String\?\n {2}task +Task\? +@relation\(fields: \[taskId\], references: \[id\]\)\n/);
    expect(parseFieldSpecs('task:Task', new Set())).toMatchObject({ ok: false, error: expect.stringContaining('unknown type') });
    expect(parseFieldSpecs('task:Tsk', new Set(['Task']))).toMatchObject({ ok: false, error: expect.stringContaining("did you mean 'Task'") });
    expect(parseFieldSpecs('tasks:Task[]', new Set(['Task']))).toMatchObject({ ok: false });
    expect(parseFieldSpecs('taskId:String task:Task', new Set(['Task']))).toMatchObject({ ok: false, error: expect.stringContaining('taskId') });
    expect(parseFieldSpecs('space:Space', new Set(['Space']))).toMatchObject({ ok: false, error: expect.stringContaining('spaceId') });
  });
});

describe('Prisma text edits', () => {
  it('a new model carries every base field, the change sequence, aligned like prisma format, and both indexes', () => {
    const model = prismaModel('Task', 'manual', [{ name: 'title', type: 'String', optional: false, list: false }]);
    const [block] = scanPrisma('x.prisma', model);
    expect(block!.fields.map((f) => f.name)).toEqual([...prismaVocabulary().baseFields.map((f) => f.name), 'syncSeq', 'title']);
    expect(model).toContain('/// @sync(strategy: manual)\nmodel Task {\n  id           String           @id @default(uuid())\n');
    expect(model).toContain('  /// @sync.ignore\n  syncSeq      BigInt           @default(0)\n\n  title        String\n');
    expect(block!.attributes).toEqual(['@@index([tenantId, updatedAt, id])', '@@index([tenantId, syncSeq])']);
  });

  it('applies insertions at original offsets, in order', () => {
    expect(
      applyEdits('abcdef', [
        { offset: 3, text: 'X' },
        { offset: 0, text: '>' },
        { offset: 3, text: 'Y' },
      ]),
    ).toBe('>abcXYdef');
    expect(
      alignFields([{ name: 'a', type: 'Int', rest: '@id' }], '  ', [
        { name: 'longName', type: 'String?', rest: '', lineStart: 0, lineEnd: 0, line: 1 },
      ]),
    ).toEqual(['  a        Int     @id']);
  });

  it('ships the support models under the runtime table names', () => {
    expect([...prismaVocabulary().supportModels.keys()]).toEqual([DEDUPE_MODEL_NAME, 'SyncCounter']);
    expect(prismaVocabulary().supportModels.get(DEDUPE_MODEL_NAME)).toMatch(/^\/\/\/ Replay log[\s\S]*\nmodel SyncOperation \{[\s\S]*\}$/);
  });
});

describe('terminal output', () => {
  it('colours only on a TTY without NO_COLOR (FORCE_COLOR wins), and never for dumb terminals', () => {
    expect(colorEnabled({ isTTY: true, env: {} })).toBe(true);
    expect(colorEnabled({ isTTY: false, env: {} })).toBe(false);
    expect(colorEnabled({ isTTY: true, env: { NO_COLOR: '1' } })).toBe(false);
    expect(colorEnabled({ isTTY: true, env: { TERM: 'dumb' } })).toBe(false);
    expect(colorEnabled({ isTTY: false, env: { FORCE_COLOR: '1' } })).toBe(true);
    expect(paint(true).red('x')).toBe('\u001b[31mx\u001b[39m');
    expect(paint(false).red('x')).toBe('x');
  });

  it('colours diagnostics by severity for every command, and only when asked', () => {
    const p = paint(true);
    const at = { file: 'a.prisma', line: 5, column: 21 };
    const diagnostics = [
      { code: 'TS102' as const, severity: 'error' as const, message: "model Note: unknown strategy 'x'", ...at, hint: 'Did you mean?' },
      { code: 'TS101' as const, severity: 'warning' as const, message: 'y', ...at, line: 1, column: 1 },
    ];
    const run = (color: boolean) => {
      const err: string[] = [];
      const code = reportBadInput(
        diagnostics,
        false,
        { stdout: () => undefined, stderr: (t) => err.push(t), cwd: '.', color },
        '1 error(s); nothing written.',
      );
      return { code, text: err.join('\n') };
    };
    expect(run(true)).toEqual({
      code: 2,
      text: [
        p.yellow('a.prisma:1:1 TS101 warning: y'),
        `${p.red("a.prisma:5:21 TS102 model Note: unknown strategy 'x'")}\n${p.dim('  Hint: Did you mean?')}`,
        '1 error(s); nothing written.',
      ].join('\n'),
    });
    expect(run(false).text).not.toContain('\u001b[');
  });

  it('progress stays quiet on short runs and erases its line when done', () => {
    const written: string[] = [];
    let clock = 0;
    const bar = progress(
      (t) => written.push(t),
      300,
      () => clock,
    );
    bar.step('reading');
    expect(written).toEqual([]);
    clock = 500;
    bar.step('generating');
    bar.done();
    expect(written).toEqual(['\r\u001b[2Kgenerating…', '\r\u001b[2K']);
  });
});

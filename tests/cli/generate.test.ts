import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO, cli, scratchCopy, treeHash } from '../support/cli';

// The CLI as users run it (bin/trackhub-sync.mjs in a child process), on a
// scratch copy of the bundled example.

// Each test runs the whole CLI up to seven times in child processes: minutes on a loaded 2-core machine.
describe('trackhub-sync generate', { timeout: 300_000 }, () => {
  let dir: string;
  const out = () => join(dir, 'generated');

  beforeAll(() => {
    dir = scratchCopy('examples/trackhub-core');
    rmSync(out(), { recursive: true, force: true });
  });

  it('writes the tree, then --check passes and a second run writes nothing', () => {
    const first = cli(['generate'], dir);
    expect(first.status, first.stderr).toBe(0);
    // 1 unchanged: the example's proto/…/core.proto already carries the sync fields (an external file, edited in place).
    expect(first.stdout).toMatch(/^generated: \d+ written, 1 unchanged$/m);
    const hash = treeHash(out());

    const check = cli(['generate', '--check'], dir);
    expect(check.status, check.stdout).toBe(0);
    expect(check.stdout).toMatch(/up to date/);

    const second = cli(['generate'], dir);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/^generated: 0 written, \d+ unchanged$/m);
    expect(treeHash(out())).toBe(hash);
  });

  it('--check exits 1 with a unified diff after an edit, a deletion or an extra file', () => {
    const model = join(out(), 'watermelon/models/Space.ts');
    const original = readFileSync(model, 'utf8');

    writeFileSync(model, original.replace("static override table = 'spaces';", "static override table = 'spacez';"));
    let check = cli(['generate', '--check'], dir);
    expect(check.status).toBe(1);
    expect(check.stdout).toContain('--- a/watermelon/models/Space.ts');
    expect(check.stdout).toContain("-  static override table = 'spacez';");
    expect(check.stdout).toContain("+  static override table = 'spaces';");
    expect(check.stdout).toMatch(/1 stale, 0 missing, 0 orphan/);

    rmSync(model);
    check = cli(['generate', '--check'], dir);
    expect(check.status).toBe(1);
    expect(check.stdout).toMatch(/0 stale, 1 missing, 0 orphan/);

    writeFileSync(model, original);
    const notes = join(out(), 'watermelon/notes.txt');
    writeFileSync(notes, 'hand-written\n');
    // A file trackhub-sync did not write: --check refuses the folder exactly as generate does.
    check = cli(['generate', '--check', '--json'], dir);
    expect(check.status).toBe(2);
    expect(JSON.parse(check.stdout)).toMatchObject({ status: 'error', diagnostics: [{ code: 'TS201', file: 'generated/watermelon/notes.txt' }] });
    const refused = cli(['generate'], dir);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/^generated\/watermelon\/notes\.txt:1:1 TS201 the output folder holds a file trackhub-sync did not write$/m);
    // --allow-foreign generates beside it and never touches it.
    const beside = cli(['generate', '--allow-foreign'], dir);
    expect(beside.status, beside.stderr).toBe(0);
    expect(readFileSync(notes, 'utf8')).toBe('hand-written\n');
    expect(cli(['generate', '--check', '--allow-foreign'], dir).status).toBe(0);
    rmSync(notes);
    expect(cli(['generate', '--check'], dir).status).toBe(0);
  });

  it('--dry-run reports changes and writes nothing', () => {
    const schema = join(dir, 'prisma/schema.prisma');
    const original = readFileSync(schema, 'utf8');
    writeFileSync(schema, original.replace('  description String?\n', '  description String?\n  motto String?\n'));
    const before = treeHash(out());
    const dry = cli(['generate', '--dry-run'], dir);
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain("+        { name: 'motto', type: 'string', isOptional: true },");
    expect(dry.stdout).toMatch(/dry run: nothing written/);
    expect(treeHash(out())).toBe(before);
    writeFileSync(schema, original);
  });

  it('bad input exits 2 with every located diagnostic and leaves the output untouched', () => {
    const schema = join(dir, 'prisma/schema.prisma');
    const original = readFileSync(schema, 'utf8');
    writeFileSync(
      schema,
      original
        .replace('/// @sync(strategy: lastWriteWins)', '/// @sync(strategy: lastWriteWin)')
        .replace('/// @sync(strategy: manual)', '/// @sync(strategy: manual, direction: pulOnly)'),
    );
    const before = treeHash(out());
    const run = cli(['generate'], dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^prisma\/schema\.prisma:\d+:\d+ TS102 model Space: unknown strategy 'lastWriteWin'$/m);
    expect(run.stderr).toContain("Hint: Did you mean 'lastWriteWins'?");
    expect(run.stderr).toMatch(/^prisma\/schema\.prisma:\d+:\d+ TS103 model Task: unknown direction 'pulOnly'$/m);
    expect(run.stderr).toMatch(/2 error\(s\); nothing written\./);
    expect(treeHash(out())).toBe(before);

    const json = cli(['generate', '--json'], dir);
    expect(json.status).toBe(2);
    const report = JSON.parse(json.stdout) as { status: string; diagnostics: { code: string; line: number; column: number }[] };
    expect(report.status).toBe('error');
    expect(report.diagnostics.map((d) => d.code)).toEqual(['TS102', 'TS103']);
    expect(treeHash(out())).toBe(before);

    writeFileSync(schema, original);
    appendFileSync(schema, '\nmodel Broken {\n  id Strin @id\n}\n');
    const syntax = cli(['generate'], dir);
    expect(syntax.status).toBe(2);
    expect(syntax.stderr).toMatch(/^prisma\/schema\.prisma:\d+:6 TS100 Prisma: Type "Strin" is neither a built-in type/m);
    expect(treeHash(out())).toBe(before);
    writeFileSync(schema, original);
  });

  it('an invalid config or flag exits 2 and names the problem', () => {
    writeFileSync(join(dir, 'bad.config.json'), '{\n  "schema": "prisma/schema.prisma",\n  "outt": "x"\n}\n');
    const bad = cli(['generate', '--config', 'bad.config.json'], dir);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^bad\.config\.json:1:1 TS200 config \(root\): Unrecognized key: "outt"/m);

    const missing = cli(['generate', '--schema', 'nope.prisma'], dir);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^nope\.prisma:1:1 TS116 schema input not found/m);

    expect(cli(['generate', '--no-such-flag'], dir).status).toBe(2);
  });

  it('loads a .ts config (in a CommonJS package: compiled to CommonJS by tsx) and a .mjs config like the JSON one', () => {
    const expected = cli(['ir', '--json'], dir);
    expect(expected.status, expected.stderr).toBe(0);
    const config = readFileSync(join(dir, 'trackhub-sync.config.json'), 'utf8');
    writeFileSync(join(dir, 'typed.config.ts'), `const config: { schema: string } = ${config.trim()};\nexport default config;\n`);
    writeFileSync(join(dir, 'plain.config.mjs'), `export default ${config}`);
    for (const file of ['typed.config.ts', 'plain.config.mjs']) {
      const run = cli(['ir', '--json', '--config', file], dir);
      expect(run.stderr, file).toBe('');
      expect(run.stdout, file).toBe(expected.stdout);
    }
  });

  it('--version prints the package version', () => {
    const run = cli(['--version'], dir);
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe((JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version);
  });

  it('flags override the config: --schema and --out', () => {
    const run = cli(['generate', '--schema', 'prisma/schema.prisma', '--out', 'elsewhere'], dir);
    expect(run.status, run.stderr).toBe(0);
    expect(treeHash(join(dir, 'elsewhere'))).toBe(treeHash(out()));
  });

  it('ir --json prints the IR', () => {
    const run = cli(['ir', '--json'], dir);
    expect(run.status).toBe(0);
    const ir = JSON.parse(run.stdout) as { entities: { name: string; table: string; strategy: string }[] };
    expect(ir.entities.map((e) => [e.name, e.table, e.strategy])).toEqual([
      ['Space', 'spaces', 'lastWriteWins'],
      ['Group', 'space_groups', 'serverMerge'],
      ['Task', 'tasks', 'manual'],
      ['Comment', 'comments', 'lastWriteWins'],
      ['Label', 'labels', 'lastWriteWins'],
    ]);
  });
});

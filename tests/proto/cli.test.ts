import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffChars } from 'diff';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateCommand, type GenerateFlags } from '../../generator/cli/generateCommand';
import { buf, bufModule, copyInto, removeModules } from './support/buf';
import { EDIT_CASE } from './support/protoCase';

// `generate` edits the .proto files in place and is idempotent; `--check`
// fails on a proto missing fields or a stale sync.proto; bad input writes nothing.
describe('trackhub-sync generate with .proto inputs', () => {
  let dir: string;
  const task = () => join(dir, 'input/proto/acme/tasks/v1/task.proto');

  const generate = async (flags: GenerateFlags = {}) => {
    const out: string[] = [];
    const code = await generateCommand(flags, { cwd: dir, stdout: (t) => out.push(t), stderr: (t) => out.push(t) });
    return { code, output: out.join('\n') };
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'trackhub-proto-cli-'));
    cpSync(join(EDIT_CASE, 'input'), join(dir, 'input'), { recursive: true });
    const config = JSON.parse(readFileSync(join(EDIT_CASE, 'trackhub-sync.config.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'trackhub-sync.config.json'), JSON.stringify({ ...config, out: 'generated' }));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    removeModules();
  });

  it('edits the protos in place, and a second run changes no byte', async () => {
    const before = readFileSync(task(), 'utf8');
    expect((await generate()).code).toBe(0);
    const edited = readFileSync(task(), 'utf8');
    expect(edited).toContain('string client_id = 15;');
    expect(insertedOnly(before, edited)).toBe(true);
    const sync = readFileSync(join(dir, 'generated/proto/trackhub/sync/v1/sync.proto'), 'utf8');

    const second = await generate();
    expect(second).toEqual({ code: 0, output: 'generated: 0 written, 4 unchanged' });
    expect(readFileSync(task(), 'utf8')).toBe(edited);
    expect(readFileSync(join(dir, 'generated/proto/trackhub/sync/v1/sync.proto'), 'utf8')).toBe(sync);
    expect(await generate({ check: true })).toEqual({ code: 0, output: 'generated: 4 files up to date' });
  });

  it('is an edit, not a rewrite: every original byte stays (one-line messages lose only the space before `}`)', async () => {
    const files = ['acme/tasks/v1/task.proto', 'acme/tasks/v1/project.proto', 'acme/notes/v1/note.proto'];
    const before = files.map((f) => readFileSync(join(dir, 'input/proto', f), 'utf8'));
    await generate();
    const after = files.map((f) => readFileSync(join(dir, 'input/proto', f), 'utf8'));
    expect(after.map((text, i) => text !== before[i] && insertedOnly(before[i]!, text))).toEqual([true, true, true]);
  });

  it('--check exits 1 when a proto lacks sync fields, with a diff naming them, and writes nothing', async () => {
    await generate();
    const original = readFileSync(join(EDIT_CASE, 'input/proto/acme/tasks/v1/task.proto'), 'utf8');
    writeFileSync(task(), original);
    const check = await generate({ check: true });
    expect(check.code).toBe(1);
    expect(check.output).toContain('+  string client_id = 15;');
    expect(check.output).toContain('1 stale, 0 missing, 0 orphan file(s)');
    expect(readFileSync(task(), 'utf8')).toBe(original);
  });

  it('--check exits 1 when sync.proto is stale', async () => {
    await generate();
    const path = join(dir, 'generated/proto/trackhub/sync/v1/sync.proto');
    writeFileSync(path, readFileSync(path, 'utf8').replace('// What a pushed item does.', '// Edited by hand.'));
    const check = await generate({ check: true });
    expect(check.code).toBe(1);
    expect(check.output).toContain('-// Edited by hand.\n+// What a pushed item does.');
  });

  it('a proto folder that holds the output folder never reads the generated sync.proto as input', async () => {
    // sync.proto declares messages named like the entities; read as input they would be ambiguous.
    expect((await generate({ proto: [dir] })).code).toBe(0);
    expect(await generate({ proto: [dir], check: true })).toEqual({ code: 0, output: 'generated: 4 files up to date' });
  });

  it('a sync.proto that no longer parses is an error, not a silent renumbering', async () => {
    await generate();
    const path = join(dir, 'generated/proto/trackhub/sync/v1/sync.proto');
    writeFileSync(path, readFileSync(path, 'utf8').replace('message SyncPullRequest {', 'message SyncPullRequest {{'));
    const result = await generate();
    expect(result.code).toBe(2);
    expect(result.output).toMatch(
      /^generated\/proto\/trackhub\/sync\/v1\/sync\.proto:1:1 TS400 the existing proto\/trackhub\/sync\/v1\/sync\.proto does not parse/m,
    );
  });

  it("proto.package must be a protobuf package (it names sync.proto's folder)", async () => {
    const config = JSON.parse(readFileSync(join(dir, 'trackhub-sync.config.json'), 'utf8')) as { proto: Record<string, unknown> };
    writeFileSync(join(dir, 'trackhub-sync.config.json'), JSON.stringify({ ...config, proto: { ...config.proto, package: '../escape' } }));
    const result = await generate();
    expect(result.code).toBe(2);
    expect(result.output).toContain('config proto.package: must be a protobuf package');
    expect(existsSync(join(dir, 'generated'))).toBe(false);
  });

  it('--proto overrides the config; a missing message exits 2 and writes nothing', async () => {
    const notes = join(dir, 'input/proto/acme/notes');
    const before = readFileSync(join(notes, 'v1/note.proto'), 'utf8');
    const result = await generate({ proto: [notes] });
    expect(result.code).toBe(2);
    expect(result.output).toContain("input/schema.graphql:10:6 TS400 entity Task: no message 'Task' in the proto files");
    expect(result.output).toMatch(/4 error\(s\); nothing written\.$/);
    expect(readFileSync(join(notes, 'v1/note.proto'), 'utf8')).toBe(before);
  });

  it('proto.withoutMessage: entities with no message are not looked for; the rest passes buf lint and breaking as before', async () => {
    const notes = join(dir, 'input/proto/acme/notes');
    const original = bufModule();
    copyInto(original, join(dir, 'input/proto'));
    expect(buf(['build', '-o', 'original.binpb'], original).output).toBe('');
    const config = JSON.parse(readFileSync(join(dir, 'trackhub-sync.config.json'), 'utf8')) as { proto: Record<string, unknown> };
    const messages = config.proto.messages as Record<string, string>;
    // Only the notes folder: the task entities have no message there.
    const without = ['Comment', 'Label', 'Project', 'Task'].filter((e) => messages[e] === undefined);
    writeFileSync(join(dir, 'trackhub-sync.config.json'), JSON.stringify({ ...config, proto: { ...config.proto, withoutMessage: without } }));
    const result = await generate({ proto: [notes] });
    expect(result.output).not.toContain('TS400');
    expect(result.code).toBe(0);
    const edited = bufModule();
    copyInto(edited, join(dir, 'input/proto'));
    expect(buf(['lint'], edited)).toEqual({ status: 0, output: '' });
    expect(buf(['breaking', '--against', join(original, 'original.binpb')], edited)).toEqual({ status: 0, output: '' });
    const sync = bufModule();
    copyInto(sync, join(dir, 'generated/proto'));
    expect(buf(['lint'], sync)).toEqual({ status: 0, output: '' });

    writeFileSync(join(dir, 'trackhub-sync.config.json'), JSON.stringify({ ...config, proto: { ...config.proto, withoutMessage: ['Nope'] } }));
    expect((await generate({ proto: [notes] })).output).toContain("proto.withoutMessage names 'Nope', which is not a synced entity");
  });
});

/** True when `after` is `before` plus inserted text (removals limited to whitespace). */
function insertedOnly(before: string, after: string): boolean {
  return diffChars(before, after).every((part) => !part.removed || part.value.trim() === '');
}

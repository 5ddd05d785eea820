import { existsSync, mkdtempSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCommand } from '../../generator/cli/generateCommand';
import { listTree } from '../../generator/emit/compare';
import { buf, bufModule, copyInto, removeModules } from './support/buf';

const V1 = `
enum Stage {
  TODO
  DOING
  DONE
}
type Card implements CrtBaseEntity @sync {
  id: ID!
  title: String!
  points: Int
  stage: Stage
  note: String
}
`;

// v2: \`note\` dropped, \`points\` becomes a Float, \`owner\` added, stage DOING dropped, BLOCKED added.
const V2 = `
enum Stage {
  TODO
  DONE
  BLOCKED
}
type Card implements CrtBaseEntity @sync {
  id: ID!
  title: String!
  owner: String
  points: Float
  stage: Stage
}
`;

// sync.proto keeps every number across schema changes, so clients built
// against the previous file keep working (buf breaking, WIRE rules). The
// output's proto/ folder is used as the buf module root, as users would.
describe('sync.proto numbering across schema changes', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    removeModules();
  });

  /** A project with one proto input and the V1 schema; `proto` is merged into the config's proto section. */
  const project = (proto: Record<string, unknown> = {}) => {
    const dir = mkdtempSync(join(tmpdir(), 'trackhub-proto-evolve-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'protos'));
    writeFileSync(join(dir, 'protos/card.proto'), 'syntax = "proto3";\npackage board.v1;\nmessage Card {\n  string id = 1;\n}\n');
    writeFileSync(join(dir, 'schema.graphql'), V1);
    configure(dir, proto);
    return dir;
  };
  const configure = (dir: string, proto: Record<string, unknown>) =>
    writeFileSync(
      join(dir, 'trackhub-sync.config.json'),
      JSON.stringify({
        schema: 'schema.graphql',
        targets: { watermelon: false, client: false, server: false },
        proto: { files: ['protos'], ...proto },
      }),
    );

  /** Run `generate`; returns the output's proto/ tree (path -> text). */
  const generate = async (dir: string) => {
    const out: string[] = [];
    const code = await generateCommand({}, { cwd: dir, stdout: (t) => out.push(t), stderr: (t) => out.push(t) });
    expect(code, out.join('\n')).toBe(0);
    const protoDir = join(dir, 'generated/proto');
    return Object.fromEntries(listTree(protoDir).map((p) => [p, readFileSync(join(protoDir, p), 'utf8')]));
  };
  const card = (text: string) => /message Card \{\n([^}]*)\}/.exec(text)![1]!;

  it('keeps numbers, reserves dropped ones, numbers new fields above all', async () => {
    const dir = project();
    const v1 = (await generate(dir))['trackhub/sync/v1/sync.proto']!;
    const previous = bufModule();
    copyInto(previous, join(dir, 'generated/proto'));
    expect(buf(['lint'], previous)).toEqual({ status: 0, output: '' });
    expect(buf(['build', '-o', 'v1.binpb'], previous).output).toBe('');

    writeFileSync(join(dir, 'schema.graphql'), V2);
    const tree = await generate(dir);
    expect(Object.keys(tree)).toEqual(['trackhub/sync/v1/sync.proto']);
    const v2 = tree['trackhub/sync/v1/sync.proto']!;
    expect(card(v1)).toContain('  optional int32 points = 16;\n  optional Stage stage = 17;\n  optional string note = 18;\n');
    expect(card(v2)).toBe(
      [
        '  reserved 16, 18;',
        '  reserved "note";',
        ...card(v1).split('\n').slice(0, 15),
        '  optional string owner = 19;',
        '  optional double points = 20;',
        '  optional Stage stage = 17;',
        '',
      ].join('\n'),
    );
    expect(/enum Stage \{\n([^}]*)\}/.exec(v2)![1]).toBe(
      '  reserved 2;\n  reserved "STAGE_DOING";\n  STAGE_UNSPECIFIED = 0;\n  STAGE_TODO = 1;\n  STAGE_DONE = 3;\n  STAGE_BLOCKED = 4;\n',
    );

    const next = bufModule({ breaking: 'WIRE' });
    copyInto(next, join(dir, 'generated/proto'));
    expect(buf(['lint'], next)).toEqual({ status: 0, output: '' });
    expect(buf(['breaking', '--against', join(previous, 'v1.binpb')], next)).toEqual({ status: 0, output: '' });
  });

  it('a new proto.package moves sync.proto to its folder and keeps the numbers of the previous file', async () => {
    const dir = project();
    const v1 = (await generate(dir))['trackhub/sync/v1/sync.proto']!;
    configure(dir, { package: 'board.sync.v2' });
    writeFileSync(join(dir, 'schema.graphql'), V2);
    const tree = await generate(dir);
    // The old file is gone (the output folder is owned), the new one lints with STANDARD.
    expect(Object.keys(tree)).toEqual(['board/sync/v2/sync.proto']);
    const v2 = tree['board/sync/v2/sync.proto']!;
    expect(v2).toContain('package board.sync.v2;');
    expect(card(v2)).toContain('  reserved 16, 18;\n');
    expect(card(v2)).toContain('  optional string owner = 19;\n  optional double points = 20;\n  optional Stage stage = 17;\n');
    expect(card(v2).split('\n').slice(2, 17)).toEqual(card(v1).split('\n').slice(0, 15));
    const module = bufModule();
    copyInto(module, join(dir, 'generated/proto'));
    expect(buf(['lint'], module)).toEqual({ status: 0, output: '' });
  });

  it('a sync.proto left at the older proto/sync.proto is read for its numbers, then replaced', async () => {
    const dir = project();
    const v1 = (await generate(dir))['trackhub/sync/v1/sync.proto']!;
    // What earlier releases wrote: the same file at generated/proto/sync.proto (and no manifest yet:
    // the file is recognised as generated by its header).
    renameSync(join(dir, 'generated/proto/trackhub/sync/v1/sync.proto'), join(dir, 'generated/proto/sync.proto'));
    rmSync(join(dir, 'generated/proto/trackhub'), { recursive: true });
    rmSync(join(dir, 'generated/.trackhub-sync-manifest.json'));
    writeFileSync(join(dir, 'schema.graphql'), V2);
    const tree = await generate(dir);
    expect(Object.keys(tree)).toEqual(['trackhub/sync/v1/sync.proto']);
    expect(existsSync(join(dir, 'generated/proto/sync.proto'))).toBe(false);
    const v2 = tree['trackhub/sync/v1/sync.proto']!;
    expect(card(v2)).toContain('  reserved 16, 18;\n');
    expect(card(v2).split('\n').slice(2, 17)).toEqual(card(v1).split('\n').slice(0, 15));
  });
});

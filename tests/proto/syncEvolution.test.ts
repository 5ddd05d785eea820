import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCommand } from '../../generator/cli/generateCommand';
import { buf, bufModule, removeModules, writeInto } from './support/buf';

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
// against the previous file keep working (buf breaking, WIRE rules).
describe('sync.proto numbering across schema changes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trackhub-proto-evolve-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    removeModules();
  });

  const generate = async () => {
    const out: string[] = [];
    const code = await generateCommand({}, { cwd: dir, stdout: (t) => out.push(t), stderr: (t) => out.push(t) });
    expect(code, out.join('\n')).toBe(0);
    return readFileSync(join(dir, 'generated/proto/sync.proto'), 'utf8');
  };

  it('keeps numbers, reserves dropped ones, numbers new fields above all', async () => {
    mkdirSync(join(dir, 'protos'));
    writeFileSync(join(dir, 'protos/card.proto'), 'syntax = "proto3";\npackage board.v1;\nmessage Card {\n  string id = 1;\n}\n');
    writeFileSync(join(dir, 'schema.graphql'), V1);
    writeFileSync(
      join(dir, 'trackhub-sync.config.json'),
      JSON.stringify({ schema: 'schema.graphql', targets: { watermelon: false, client: false, server: false }, proto: { files: ['protos'] } }),
    );
    const v1 = await generate();
    const previous = bufModule({ except: ['PACKAGE_DIRECTORY_MATCH'] });
    writeInto(previous, { 'sync.proto': v1 });
    expect(buf(['build', '-o', 'v1.binpb'], previous).output).toBe('');

    writeFileSync(join(dir, 'schema.graphql'), V2);
    const v2 = await generate();
    const card = (text: string) => /message Card \{\n([^}]*)\}/.exec(text)![1];
    expect(card(v1)).toContain('  optional int32 points = 16;\n  optional Stage stage = 17;\n  optional string note = 18;\n');
    expect(card(v2)).toBe(
      [
        '  reserved 16, 18;',
        '  reserved "note";',
        ...card(v1)!.split('\n').slice(0, 15),
        '  optional string owner = 19;',
        '  optional double points = 20;',
        '  optional Stage stage = 17;',
        '',
      ].join('\n'),
    );
    expect(/enum Stage \{\n([^}]*)\}/.exec(v2)![1]).toBe(
      '  reserved 2;\n  reserved "STAGE_DOING";\n  STAGE_UNSPECIFIED = 0;\n  STAGE_TODO = 1;\n  STAGE_DONE = 3;\n  STAGE_BLOCKED = 4;\n',
    );

    const next = bufModule({ except: ['PACKAGE_DIRECTORY_MATCH'], breaking: 'WIRE' });
    writeInto(next, { 'sync.proto': v2 });
    expect(buf(['lint'], next)).toEqual({ status: 0, output: '' });
    expect(buf(['breaking', '--against', join(previous, 'v1.binpb')], next)).toEqual({ status: 0, output: '' });
  });
});

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, cli, treeHash } from '../support/cli';
import { scratchDir } from './support';
import { USER_PRISMA } from '../support/userSchema';

// init and add-entity in existing projects: detection, append-only edits
// (the user's text keeps every byte), nothing overwritten, errors exit 2.

describe('trackhub-sync init in an existing project', () => {
  it('Prisma: appends the first entity and support blocks only; a second init changes nothing', () => {
    const dir = scratchDir('trackhub-init-prisma-');
    mkdirSync(join(dir, 'prisma'));
    writeFileSync(join(dir, 'prisma/schema.prisma'), USER_PRISMA);
    writeFileSync(join(dir, 'package.json'), '{ "name": "app" }\n');

    const run = cli(['init', '--json', '--entity', 'Visit', '--fields', 'place:String'], dir);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      status: 'initialized',
      schema: { kind: 'prisma', path: 'prisma/schema.prisma' },
      changes: [
        { path: 'prisma/schema.prisma', action: 'edit' },
        { path: 'trackhub-sync.config.json', action: 'create' },
        { path: 'trackhub-sync/base-fields.prisma', action: 'create' },
      ],
    });
    const schema = readFileSync(join(dir, 'prisma/schema.prisma'), 'utf8');
    expect(schema.startsWith(USER_PRISMA)).toBe(true);
    expect(schema).toMatch(/\/\/\/ @sync\(strategy: lastWriteWins\)\nmodel Visit \{/);
    expect(schema).toContain('model SyncOperation {');
    expect(schema).toContain('model SyncCounter {');
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe('{ "name": "app" }\n');
    expect(cli(['doctor'], dir).status).toBe(0);

    const hash = treeHash(dir);
    const again = cli(['init'], dir);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/kept\s+trackhub-sync\.config\.json \(exists/);
    expect(treeHash(dir)).toBe(hash);
  });

  it('an existing config names the schema to annotate (no detection)', () => {
    const dir = scratchDir('trackhub-init-config-');
    mkdirSync(join(dir, 'db'));
    writeFileSync(join(dir, 'db/app.prisma'), USER_PRISMA);
    writeFileSync(join(dir, 'trackhub-sync.config.json'), '{ "schema": "db/app.prisma" }\n');
    const run = cli(['init', '--json'], dir);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      schema: { kind: 'prisma', path: 'db/app.prisma' },
      changes: [
        { path: 'db/app.prisma', action: 'edit' },
        { path: 'trackhub-sync.config.json', action: 'keep' },
        { path: 'trackhub-sync/base-fields.prisma', action: 'create' },
      ],
    });
    expect(readFileSync(join(dir, 'trackhub-sync.config.json'), 'utf8')).toBe('{ "schema": "db/app.prisma" }\n');
    expect(readFileSync(join(dir, 'db/app.prisma'), 'utf8')).toMatch(/^\/\/ The team's own schema[\s\S]*model Note \{/);
  });

  it('an empty folder with --type graphql gets an SDL schema that generates and passes doctor', () => {
    const dir = scratchDir('trackhub-init-empty-sdl-');
    const run = cli(['init', '--type', 'graphql', '--entity', 'Trip', '--fields', 'km:Float'], dir);
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(join(dir, 'schema.graphql'), 'utf8')).toBe(
      '# GraphQL schema of this mini-app (created by trackhub-sync init).\n# Directives and CrtBaseEntity: trackhub-sync/directives.graphql\n\n' +
        'type Trip implements CrtBaseEntity @sync(strategy: LAST_WRITE_WINS) {\n  id: ID!\n  km: Float!\n}\n',
    );
    expect(cli(['generate'], dir).status).toBe(0);
    expect(cli(['doctor'], dir).status).toBe(0);
    expect(cli(['init', '--type', 'sql'], dir).status).toBe(2);
  });

  it('GraphQL: detects the SDL, ships the directives, and the entity generates', () => {
    const dir = scratchDir('trackhub-init-sdl-');
    mkdirSync(join(dir, 'src'));
    const sdl = 'type Query {\n  hello: String\n}\n';
    writeFileSync(join(dir, 'src/schema.graphql'), sdl);
    const run = cli(['init'], dir);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('(graphql schema: src/schema.graphql)');
    const text = readFileSync(join(dir, 'src/schema.graphql'), 'utf8');
    expect(text.startsWith(sdl)).toBe(true);
    expect(text).toContain('type Note implements CrtBaseEntity @sync(strategy: LAST_WRITE_WINS) {');
    expect(readFileSync(join(dir, 'trackhub-sync/directives.graphql'), 'utf8')).toContain('directive @sync(');

    const add = cli(['add-entity', 'Trip', '--strategy', 'serverMerge', '--fields', 'km:Float stops:String[]'], dir);
    expect(add.status, add.stderr).toBe(0);
    expect(readFileSync(join(dir, 'src/schema.graphql'), 'utf8')).toContain(
      'type Trip implements CrtBaseEntity @sync(strategy: SERVER_MERGE) {\n  id: ID!\n  km: Float!\n  stops: [String!]!\n}\n',
    );
    expect(readFileSync(join(dir, 'generated/watermelon/models/Trip.ts'), 'utf8')).toContain("static override table = 'trips';");
    expect(cli(['doctor'], dir).status).toBe(0);
  });
});

describe('trackhub-sync add-entity', () => {
  it('a folder schema gets a new file; --no-generate writes no output; --json reports the change', () => {
    const dir = scratchDir('trackhub-add-folder-');
    mkdirSync(join(dir, 'prisma/schema'), { recursive: true });
    writeFileSync(join(dir, 'prisma/schema/main.prisma'), USER_PRISMA);
    const run = cli(['add-entity', 'Trip', '--fields', 'km:Float', '--no-generate', '--json'], dir);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      status: 'added',
      entity: 'Trip',
      changes: [{ path: 'prisma/schema/trip.prisma', action: 'create' }],
      generated: null,
    });
    expect(readFileSync(join(dir, 'prisma/schema/main.prisma'), 'utf8')).toBe(USER_PRISMA);
    expect(readFileSync(join(dir, 'prisma/schema/trip.prisma'), 'utf8')).toMatch(/^enum E_COMMON_STATUS \{[\s\S]*model Trip \{/);
  });

  it('bad names, strategies, fields and duplicates exit 2 and leave the schema as it was', () => {
    const dir = scratchDir('trackhub-add-bad-');
    writeFileSync(join(dir, 'schema.prisma'), USER_PRISMA);
    for (const [args, message] of [
      [['add-entity', 'trip'], /PascalCase/],
      [['add-entity', 'Trip', '--strategy', 'lww'], /unknown strategy 'lww'/],
      [['add-entity', 'Trip', '--fields', 'km:Flaot'], /did you mean 'Float'/],
      [['add-entity', 'User'], /'User' is already declared/],
    ] as const) {
      const run = cli([...args], dir);
      expect(run.status, run.stderr).toBe(2);
      expect(run.stderr).toMatch(message);
    }
    expect(readFileSync(join(dir, 'schema.prisma'), 'utf8')).toBe(USER_PRISMA);
  });
});

describe('terminal output of the CLI', () => {
  it('colours diagnostics only when asked (FORCE_COLOR) and never with NO_COLOR or in pipes', () => {
    const dir = scratchDir('trackhub-colour-');
    writeFileSync(join(dir, 'schema.prisma'), USER_PRISMA.replace('model   User {', '/// @sync(strategy: nope)\nmodel   User {'));
    const { NO_COLOR: _off, FORCE_COLOR: _on, ...env } = process.env;
    const run = (extra: Record<string, string>) =>
      spawnSync(process.execPath, [join(REPO, 'bin/trackhub-sync.mjs'), 'generate', '--schema', 'schema.prisma'], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...env, ...extra },
      });
    const forced = run({ FORCE_COLOR: '1' });
    expect(forced.status).toBe(2);
    expect(forced.stderr).toMatch(/\u001b\[31mschema\.prisma:\d+:\d+ TS102 /);
    const piped = run({});
    expect(piped.stderr).toMatch(/^schema\.prisma:\d+:\d+ TS102 /m);
    expect(piped.stderr).not.toContain('\u001b[');
    expect(run({ NO_COLOR: '1' }).stderr).not.toContain('\u001b[');
  });
});

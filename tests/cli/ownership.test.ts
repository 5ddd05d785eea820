import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempFolders } from '../support/tempFolders';
import { generateCommand, type GenerateFlags } from '../../generator/cli/generateCommand';
import { MANIFEST_PATH } from '../../generator/emit/manifest';
import { treeHash } from '../support/cli';

// The output folder's ownership rule (README "Output layout"): trackhub-sync
// replaces or deletes only files it wrote (its manifest), refuses a folder
// holding anything else before touching it, and never takes the project's own
// folder as its output.

const SCHEMA = `datasource db {
  provider = "postgresql"
}

/// @sync
model Note {
  id        String    @id @default(uuid())
  clientId  String?   @unique
  version   Int       @default(1)
  updatedAt DateTime? @updatedAt
  deletedAt DateTime?
  tenantId  String?
  title     String
}
`;

const temp = tempFolders();

/** A project folder with a schema and no config (flags only). */
function project(): string {
  const root = temp('trackhub-own-');
  writeFileSync(join(root, 'schema.prisma'), SCHEMA);
  return root;
}

async function generate(cwd: string, flags: GenerateFlags = {}) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const exitCode = await generateCommand(
    { schema: ['schema.prisma'], out: 'gen', ...flags },
    { cwd, stdout: (t) => stdout.push(t), stderr: (t) => stderr.push(t) },
  );
  return { exitCode, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

describe('generate owns only the files it wrote', () => {
  it('a foreign file in --out: exit 2 naming it, before anything is touched; --check agrees', async () => {
    const root = project();
    mkdirSync(join(root, 'src'));
    writeFileSync(join(root, 'src/app.ts'), 'export const app = 1;\n');
    const before = treeHash(root);
    for (const flags of [{}, { check: true }, { dryRun: true }]) {
      const run = await generate(root, { out: 'src', ...flags });
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toMatch(/^src\/app\.ts:1:1 TS201 the output folder holds a file trackhub-sync did not write$/m);
      expect(run.stderr).toContain('--allow-foreign');
    }
    expect(treeHash(root)).toBe(before);
    expect(existsSync(join(root, 'trackhub-sync'))).toBe(false);
  });

  it('--allow-foreign writes beside foreign files, never deleting them, and --check agrees', async () => {
    const root = project();
    mkdirSync(join(root, 'src'));
    writeFileSync(join(root, 'src/app.ts'), 'export const app = 1;\n');
    const run = await generate(root, { out: 'src', allowForeign: true });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(readFileSync(join(root, 'src/app.ts'), 'utf8')).toBe('export const app = 1;\n');
    expect(JSON.parse(readFileSync(join(root, 'src', MANIFEST_PATH), 'utf8')).files).not.toContain('app.ts');
    expect((await generate(root, { out: 'src', allowForeign: true, check: true })).exitCode).toBe(0);
    const again = await generate(root, { out: 'src', allowForeign: true });
    expect(again.stdout).toMatch(/^src: 0 written, \d+ unchanged$/m);
    expect(readFileSync(join(root, 'src/app.ts'), 'utf8')).toBe('export const app = 1;\n');
    // Without the flag the folder is still refused: the foreign file stays foreign.
    expect((await generate(root, { out: 'src' })).exitCode).toBe(2);
  });

  it('never replaces a file it did not write, even with --allow-foreign', async () => {
    const root = project();
    mkdirSync(join(root, 'gen/watermelon'), { recursive: true });
    writeFileSync(join(root, 'gen/watermelon/schema.ts'), '// mine\n');
    const before = treeHash(root);
    const run = await generate(root, { allowForeign: true });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/^gen\/watermelon\/schema\.ts:1:1 TS201 trackhub-sync would replace this file, but did not write it$/m);
    expect(treeHash(root)).toBe(before);
  });

  it('--out at or above the working folder or the config folder is refused', async () => {
    const root = project();
    const flag = await generate(root, { out: '.' });
    expect(flag.stderr).toMatch(/^<flags>:1:1 TS201 --out \. is the working folder: the output folder must be a folder of its own$/m);
    writeFileSync(join(root, 'trackhub-sync.config.json'), '{\n  "schema": "schema.prisma",\n  "out": "."\n}\n');
    mkdirSync(join(root, 'app'));
    const before = treeHash(root);
    for (const [cwd, out] of [
      [root, '.'],
      [root, '..'],
      [join(root, 'app'), '.'],
      [join(root, 'app'), '..'],
    ] as const) {
      const run = await generateCommand({ schema: ['schema.prisma'], out }, { cwd, stdout: () => {}, stderr: () => {} });
      expect(run, `${cwd} --out ${out}`).toBe(2);
    }
    // The config's own "out" is held to the same rule, located at its key.
    const stderr: string[] = [];
    expect(await generateCommand({}, { cwd: root, stdout: () => {}, stderr: (t) => stderr.push(t) })).toBe(2);
    expect(stderr.join('\n')).toMatch(/^trackhub-sync\.config\.json:3:3 TS201 out \. is the config folder/m);
    expect(treeHash(root)).toBe(before);
  });

  it('a history folder inside the output folder is refused (TS200)', async () => {
    const root = project();
    writeFileSync(
      join(root, 'trackhub-sync.config.json'),
      '{\n  "schema": "schema.prisma",\n  "migrations": { "history": "generated/history" }\n}\n',
    );
    const stderr: string[] = [];
    expect(await generateCommand({}, { cwd: root, stdout: () => {}, stderr: (t) => stderr.push(t) })).toBe(2);
    expect(stderr.join('\n')).toContain(
      'TS200 config migrations.history: the migration history (generated/history) and the output folder (generated) overlap',
    );
  });

  it('removes only files it wrote that it no longer generates, and the folders they leave empty', async () => {
    const root = project();
    expect((await generate(root)).exitCode).toBe(0);
    // A file of an earlier run (listed in the manifest) that is no longer generated.
    const manifestPath = join(root, 'gen', MANIFEST_PATH);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { files: string[] };
    mkdirSync(join(root, 'gen/old'));
    writeFileSync(join(root, 'gen/old/Gone.ts'), '// Code generated by trackhub-sync. DO NOT EDIT.\n');
    writeFileSync(manifestPath, `${JSON.stringify({ ...manifest, files: [...manifest.files, 'old/Gone.ts'].sort() }, null, 2)}\n`);
    const check = await generate(root, { check: true, json: true });
    expect(check.exitCode).toBe(1);
    expect(JSON.parse(check.stdout)).toMatchObject({ orphans: ['old/Gone.ts'], foreign: [] });
    const run = await generate(root);
    expect(run.stdout).toMatch(/, 1 removed$/m);
    expect(existsSync(join(root, 'gen/old'))).toBe(false);
    expect((await generate(root, { check: true })).exitCode).toBe(0);
  });

  it('adopts a folder generated before manifests existed: files with the generated header are its own', async () => {
    const root = project();
    expect((await generate(root)).exitCode).toBe(0);
    rmSync(join(root, 'gen', MANIFEST_PATH));
    writeFileSync(join(root, 'gen/watermelon/Stale.ts'), '// Code generated by trackhub-sync. DO NOT EDIT.\nexport {};\n');
    const run = await generate(root);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^gen: 0 written, \d+ unchanged, 1 removed$/m);
    expect(existsSync(join(root, 'gen', MANIFEST_PATH))).toBe(true);
  });
});

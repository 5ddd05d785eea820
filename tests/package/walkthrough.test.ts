import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appFolder, node, packageApp, readmeBlock, run, words } from './support';

// README "New mini-app in five minutes", step by step, against the packed
// tarball installed in a temporary project (tests/package/globalSetup.ts):
// commands and files are read from the README itself.

describe('README walkthrough from the packed tarball', () => {
  it('install → init → add-entity ×2 (with a relation) → generate → doctor → tsc (NodeNext, Bundler) → node', () => {
    // Step 1: the packages the README installs are the ones this project has.
    const installed = JSON.parse(readFileSync(join(packageApp(), 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const install = readmeBlock('install').trim().split('\n');
    expect(install.slice(0, 2)).toEqual(['npm init -y', 'npm pkg set type=module']);
    for (const line of install.filter((l) => l.startsWith('npm install'))) {
      for (const spec of words(line)
        .slice(2)
        .filter((w) => !w.startsWith('-'))) {
        const name = spec.replace(/(.)@.*$/, '$1');
        expect(installed.dependencies, `${name} (README step 1)`).toHaveProperty(name);
      }
    }

    const dir = appFolder('walkthrough');
    const commands = readmeBlock('commands').trim().split('\n');
    expect(
      commands.map((c) =>
        words(c)
          .slice(0, c.includes('add-entity') ? 3 : 2)
          .join(' '),
      ),
    ).toEqual(['npx trackhub-sync', 'npx trackhub-sync add-entity', 'npx trackhub-sync add-entity', 'npx trackhub-sync', 'npx trackhub-sync']);
    for (const command of commands) {
      const [tool, ...args] = words(command);
      const result = run(tool!, args, dir);
      expect(result.status, result.output).toBe(0);
      if (command.endsWith('doctor')) expect(result.stdout).toMatch(/no problems found/);
    }
    const doctor = JSON.parse(run('npx', ['trackhub-sync', 'doctor', '--json'], dir).stdout) as object;
    expect(doctor).toMatchObject({ status: 'ok', entities: 3, findings: [], diagnostics: [] });

    // The relation is real: a Prisma relation with its other side, and a belongs-to the client engine translates.
    const schema = readFileSync(join(dir, 'prisma/schema.prisma'), 'utf8');
    expect(schema).toMatch(/model Comment \{[^}]*\n {2}task +Task\? +@relation\(fields: \[taskId\], references: \[id\]\)/);
    expect(schema).toMatch(/model Task \{[^}]*\n {2}comments +Comment\[\]\n/);
    expect(readFileSync(join(dir, 'generated/client/registry.ts'), 'utf8')).toContain("belongsTo: [{ field: 'taskId', target: 'Task' }]");
    // The server's support models init wrote are the ones the server target emits.
    const serverModels = readFileSync(join(dir, 'generated/server/prisma/sync.prisma'), 'utf8');
    for (const model of ['SyncOperation', 'SyncCounter']) {
      const block = new RegExp(`(?:///.*\\n)*model ${model} \\{[^}]*\\}`).exec(serverModels)?.[0];
      expect(block, model).toBeDefined();
      expect(schema).toContain(block);
    }

    // Steps 3-5: compile with the README's tsconfig (NodeNext), then again under Bundler resolution.
    const tsconfig = readmeBlock('tsconfig.json');
    writeFileSync(join(dir, 'tsconfig.json'), tsconfig);
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src/db.ts'), readmeBlock('src/db.ts'));
    writeFileSync(join(dir, 'src/main.ts'), readmeBlock('src/main.ts'));
    const nodeNext = run('npx', ['tsc', '-p', '.'], dir);
    expect(nodeNext.status, nodeNext.output).toBe(0);
    const bundler = JSON.parse(tsconfig) as { compilerOptions: Record<string, unknown> };
    Object.assign(bundler.compilerOptions, { module: 'ESNext', moduleResolution: 'Bundler', noEmit: true });
    writeFileSync(join(dir, 'tsconfig.bundler.json'), JSON.stringify(bundler, null, 2));
    const bundled = run('npx', ['tsc', '-p', 'tsconfig.bundler.json'], dir);
    expect(bundled.status, bundled.output).toBe(0);

    // The compiled app runs on plain Node: two adapter writes, both queued, the relation holding the task's id.
    const main = node(['build/src/main.js'], dir);
    expect(main.status, main.output).toBe(0);
    // (WatermelonDB logs its own setup lines first.)
    expect(main.stdout.trim().split('\n').at(-1)).toBe('Write the walkthrough: 2 changes queued, comment on the task');
  });
});

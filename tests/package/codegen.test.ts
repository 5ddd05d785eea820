import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTree } from '../integrations/support';
import { npm } from './globalSetup';
import { appFolder, readmeBlock, run } from './support';

// README "Prisma generator and graphql-codegen": the graphql-codegen preset
// from the packed tarball, in a project of its own with the real
// @graphql-codegen/cli, must write the tree `trackhub-sync generate` writes
// for the same SDL.

describe('graphql-codegen with the preset from the packed tarball', () => {
  it("the README's codegen.ts, and a codegen.yml naming the preset by path, write the CLI's tree", () => {
    const dir = appFolder('codegen');
    writeFileSync(join(dir, 'package.json'), '{ "name": "codegen-app", "private": true, "type": "module" }\n');
    npm(['install', '--save-dev', '--save-exact', '@graphql-codegen/cli@7.4.3'], dir);
    // The schema where the README's codegen.ts points, and the vocabulary folder init writes beside it.
    const init = run('npx', ['trackhub-sync', 'init', '--type', 'graphql', '--schema', 'src/schema.graphql'], dir);
    expect(init.status, init.output).toBe(0);
    const cli = run('npx', ['trackhub-sync', 'generate', '--schema', 'src/schema.graphql', '--out', 'from-cli'], dir);
    expect(cli.status, cli.output).toBe(0);
    const expected = readTree(join(dir, 'from-cli'));
    expect(Object.keys(expected)).toContain('client/registry.ts');

    writeFileSync(join(dir, 'codegen.ts'), readmeBlock('codegen.ts'));
    writeFileSync(
      join(dir, 'codegen.yml'),
      'schema:\n  - src/schema.graphql\n  - trackhub-sync/directives.graphql\ngenerates:\n  generated/:\n    preset: trackhub-sync/codegen-preset\n',
    );
    for (const config of ['codegen.ts', 'codegen.yml']) {
      rmSync(join(dir, 'generated'), { recursive: true, force: true });
      const codegen = run('npx', ['graphql-codegen', '--config', config], dir);
      expect(codegen.status, `${config}: ${codegen.output}`).toBe(0);
      expect(readTree(join(dir, 'generated')), config).toEqual(expected);
    }
  });
});

import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, cli } from '../support/cli';
import { installInto, readTree, runTool, scratchInput } from './support';

// The real graphql-codegen CLI (7.4.3) with the trackhub-sync preset must write
// exactly the files `trackhub-sync generate` writes for the same SDL. Codegen
// needs CrtBaseEntity declared to build the schema, so the vocabulary file is
// a second schema pointer; the preset leaves it out of the input, as the CLI
// needs no declarations.

describe('graphql-codegen with the trackhub-sync preset', () => {
  it('codegen.ts importing the preset: same tree as the CLI', () => {
    const dir = scratchInput('sdl-only', 'trackhub-codegen-');
    installInto(dir);
    copyFileSync(join(REPO, 'schema/directives.graphql'), join(dir, 'trackhub-sync.graphql'));
    writeFileSync(
      join(dir, 'codegen.ts'),
      [
        "import type { CodegenConfig } from '@graphql-codegen/cli';",
        "import { preset } from 'trackhub-sync/codegen';",
        '',
        'const config: CodegenConfig = {',
        "  schema: ['schema.graphql', 'trackhub-sync.graphql'],",
        "  generates: { 'generated/': { preset } },",
        '};',
        'export default config;',
        '',
      ].join('\n'),
    );

    const codegen = runTool('graphql-codegen', ['--config', 'codegen.ts'], dir);
    expect(codegen.status, codegen.stdout + codegen.stderr).toBe(0);
    const ours = cli(['generate', '--schema', 'schema.graphql', '--out', 'from-cli'], dir);
    expect(ours.status, ours.stderr).toBe(0);

    const fromCodegen = readTree(join(dir, 'generated'));
    expect(Object.keys(fromCodegen).length).toBeGreaterThan(5);
    expect(fromCodegen).toEqual(readTree(join(dir, 'from-cli')));
  });

  it('codegen.yml naming the preset by package path: same tree as the CLI', () => {
    const dir = scratchInput('sdl-only', 'trackhub-codegen-yml-');
    installInto(dir);
    copyFileSync(join(REPO, 'schema/directives.graphql'), join(dir, 'trackhub-sync.graphql'));
    writeFileSync(
      join(dir, 'codegen.yml'),
      'schema:\n  - schema.graphql\n  - trackhub-sync.graphql\ngenerates:\n  generated/:\n    preset: trackhub-sync/codegen-preset\n',
    );

    const codegen = runTool('graphql-codegen', ['--config', 'codegen.yml'], dir);
    expect(codegen.status, codegen.stdout + codegen.stderr).toBe(0);
    const ours = cli(['generate', '--schema', 'schema.graphql', '--out', 'from-cli'], dir);
    expect(readTree(join(dir, 'generated'))).toEqual(readTree(join(dir, 'from-cli')));
    expect(ours.status).toBe(0);
  });

  it('bad annotations fail codegen with the located diagnostics of the original file; nothing written', () => {
    const dir = scratchInput('sdl-only', 'trackhub-codegen-bad-');
    installInto(dir);
    const schema = join(dir, 'schema.graphql');
    writeFileSync(schema, readFileSync(schema, 'utf8').replace('strategy: SERVER_MERGE', 'strategy: SERVER_MERG'));
    copyFileSync(join(REPO, 'schema/directives.graphql'), join(dir, 'trackhub-sync.graphql'));
    writeFileSync(
      join(dir, 'codegen.yml'),
      'schema:\n  - schema.graphql\n  - trackhub-sync.graphql\ngenerates:\n  generated/:\n    preset: trackhub-sync/codegen-preset\n',
    );

    const codegen = runTool('graphql-codegen', ['--config', 'codegen.yml'], dir);
    expect(codegen.status).not.toBe(0);
    expect(codegen.stdout + codegen.stderr).toMatch(/schema\.graphql:\d+:\d+ TS102 .*unknown strategy 'SERVER_MERG'/);
    expect(readTree(join(dir, 'generated'))).toEqual({});
  });
});

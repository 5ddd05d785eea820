import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, cli } from '../support/cli';
import { installInto, readTree, runTool, scratchInput } from './support';

// The real `prisma generate` (Prisma 7 CLI) running our generator entry must
// write exactly the files `trackhub-sync generate` writes for the same schema.
// (The golden runner pins the CLI's output; these tests pin integration == CLI.)

const generatorBlock = (provider: string, output: string) => `\ngenerator sync {\n  provider = "${provider}"\n  output   = "${output}"\n}\n`;

describe('prisma generate with the trackhub-sync generator', () => {
  it('single file (provider "node …/bin/prisma-generator.mjs"): same tree as the CLI', () => {
    const dir = scratchInput('core', 'trackhub-prisma-');
    appendFileSync(join(dir, 'schema.prisma'), generatorBlock(`node ${join(REPO, 'bin/prisma-generator.mjs')}`, './from-prisma'));

    const prisma = runTool('prisma', ['generate', '--schema', 'schema.prisma'], dir);
    expect(prisma.status, prisma.stdout + prisma.stderr).toBe(0);
    const ours = cli(['generate', '--schema', 'schema.prisma', '--out', 'from-cli'], dir);
    expect(ours.status, ours.stderr).toBe(0);

    const fromPrisma = readTree(join(dir, 'from-prisma'));
    expect(Object.keys(fromPrisma).length).toBeGreaterThan(5);
    expect(fromPrisma).toEqual(readTree(join(dir, 'from-cli')));
  });

  it('multi-file schema folder (provider "trackhub-sync-prisma" from node_modules/.bin): same tree as the CLI', () => {
    const dir = scratchInput('multi-file', 'trackhub-prisma-multi-');
    installInto(dir);
    writeFileSync(join(dir, 'prisma/generator.prisma'), generatorBlock('trackhub-sync-prisma', '../generated'));

    const prisma = runTool('prisma', ['generate', '--schema', 'prisma'], dir, join(dir, 'node_modules/.bin'));
    expect(prisma.status, prisma.stdout + prisma.stderr).toBe(0);
    const ours = cli(['generate', '--schema', 'prisma', '--out', 'from-cli'], dir);
    expect(ours.status, ours.stderr).toBe(0);

    const fromPrisma = readTree(join(dir, 'generated'));
    expect(fromPrisma).toEqual(readTree(join(dir, 'from-cli')));
  });

  it('a config file in the working directory applies as it does for the CLI', () => {
    const dir = scratchInput('core', 'trackhub-prisma-config-');
    appendFileSync(join(dir, 'schema.prisma'), generatorBlock(`node ${join(REPO, 'bin/prisma-generator.mjs')}`, './from-prisma'));
    writeFileSync(join(dir, 'trackhub-sync.config.json'), JSON.stringify({ schema: ['schema.prisma'], targets: { client: false, server: false } }));

    const prisma = runTool('prisma', ['generate', '--schema', 'schema.prisma'], dir);
    expect(prisma.status, prisma.stdout + prisma.stderr).toBe(0);
    const ours = cli(['generate', '--out', 'from-cli'], dir);
    expect(ours.status, ours.stderr).toBe(0);

    const fromPrisma = readTree(join(dir, 'from-prisma'));
    expect(Object.keys(fromPrisma).some((p) => p.startsWith('watermelon/'))).toBe(true);
    expect(Object.keys(fromPrisma).filter((p) => p.startsWith('client/') || p.startsWith('server/'))).toEqual([]);
    expect(fromPrisma).toEqual(readTree(join(dir, 'from-cli')));
  });

  it('bad annotations fail `prisma generate` with located diagnostics and write nothing', () => {
    const dir = scratchInput('core', 'trackhub-prisma-bad-');
    const schema = join(dir, 'schema.prisma');
    writeFileSync(schema, readFileSync(schema, 'utf8').replace('@sync(strategy: manual)', '@sync(strategy: manul)'));
    appendFileSync(schema, generatorBlock(`node ${join(REPO, 'bin/prisma-generator.mjs')}`, './out'));

    const prisma = runTool('prisma', ['generate', '--schema', 'schema.prisma'], dir);
    expect(prisma.status).not.toBe(0);
    expect(prisma.stdout + prisma.stderr).toMatch(/schema\.prisma:\d+:\d+ TS102 .*unknown strategy 'manul'/);
    expect(readTree(join(dir, 'out'))).toEqual({});
  });
});

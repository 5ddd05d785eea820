import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempFolders } from '../support/tempFolders';
import { listTree } from '../../generator/emit/compare';
import { prismaModel } from '../../generator/scaffold/entityTemplate';
import { prismaVocabulary } from '../../generator/scaffold/vocabulary';
import { REPO, cli as runCli, treeHash } from '../support/cli';
import { USER_PRISMA } from '../support/userSchema';

// The commands that edit the user's own files (init, add-entity, doctor --fix), killed (SIGKILL)
// right before one of their file-system changes, then run again: the second run must finish the
// job exactly as one uninterrupted run does (README "Scaffolding: init, add-entity, doctor"),
// with nothing of the killed run left beside the user's files. The kill hook is the one of
// tests/cli/generateCrash.test.ts.

const BIN = join(REPO, 'bin/trackhub-sync.mjs');
const HOOK = join(REPO, 'tests/cli/support/killAtFsChange.mjs');
/** Every change is a kill point under TRACKHUB_SCAFFOLD_CRASH_ALL=1 (see killPoints for the default). */
const EVERY = process.env.TRACKHUB_SCAFFOLD_CRASH_ALL === '1';
const temp = tempFolders();

/** A synced schema as init leaves it: the user's blocks, the status enum, a synced Task, the support models. */
function syncedPrisma(): string {
  const { statusEnum, supportModels } = prismaVocabulary();
  const task = prismaModel('Task', 'lastWriteWins', [{ name: 'title', type: 'String', optional: false, list: false }]);
  return [USER_PRISMA, statusEnum, task, ...supportModels.values()].join('\n') + '\n';
}

interface Scenario {
  name: string;
  args: string[];
  /** The user's files before the command. */
  files: () => Record<string, string>;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'init in a Prisma project (schema edited, config and vocabulary created)',
    args: ['init', '--entity', 'Visit', '--fields', 'place:String'],
    files: () => ({ 'prisma/schema.prisma': USER_PRISMA, 'package.json': '{ "name": "app" }\n' }),
  },
  {
    name: 'init --type graphql in an empty folder (schema, config and vocabulary created)',
    args: ['init', '--type', 'graphql', '--entity', 'Trip', '--fields', 'km:Float'],
    files: () => ({}),
  },
  {
    // Two files: the parent gets the other side of the relation, the entity gets its own file.
    name: 'add-entity --no-generate in a schema folder (relation: two files)',
    args: ['add-entity', 'Comment', '--fields', 'body:String task:Task?', '--no-generate'],
    files: () => ({ 'prisma/schema/main.prisma': syncedPrisma() }),
  },
  {
    name: 'add-entity, then generate',
    args: ['add-entity', 'Comment', '--fields', 'body:String task:Task?'],
    files: () => ({ 'prisma/schema.prisma': syncedPrisma() }),
  },
  {
    // Two files fixed: base fields and an index missing in each, the support models missing.
    name: 'doctor --fix in a schema folder (two files)',
    args: ['doctor', '--fix'],
    files: () => {
      const { statusEnum } = prismaVocabulary();
      const model = (name: string) => prismaModel(name, 'lastWriteWins', [{ name: 'title', type: 'String', optional: false, list: false }]);
      const broken = (text: string, line: RegExp) => {
        expect(text).toMatch(line);
        return text.replace(line, '');
      };
      return {
        'prisma/schema/main.prisma': `${USER_PRISMA}\n${statusEnum}\n\n${broken(model('Task'), /\n {2}deletedAt[^\n]*/)}\n`,
        'prisma/schema/visit.prisma': `${broken(model('Visit'), /\n {2}@@index\(\[tenantId, syncSeq\]\)/)}\n`,
      };
    },
  },
];

function project(files: Record<string, string>): string {
  const dir = temp('trackhub-scaffold-crash-');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The CLI with the kill hook, asynchronously (two kill points run side by side). */
function cli(dir: string, args: readonly string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', HOOK, BIN, ...args], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1', TRACKHUB_KILL_ROOT: dir, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

/** Every file with its bytes: a failed comparison shows which file differs. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(listTree(dir).map((path) => [path, readFileSync(join(dir, path), 'utf8')]));
}

/** What a killed run may leave that no uninterrupted run leaves: temporary siblings (userFiles.ts, write.ts), staging folders. */
function leftovers(dir: string): string[] {
  return listTree(dir).filter((path) => /\.trackhub-sync-\d+(-\d+)?$/.test(path) || path.includes('.staging-'));
}

interface Change {
  index: number;
  call: string;
  path: string;
}

/**
 * The kill points: every change under TRACKHUB_SCAFFOLD_CRASH_ALL=1. Otherwise each rename of a
 * user's file into place (the kill leaves its temporary sibling written and the files before it
 * done; a kill before the write or the folder creation leaves the same minus that sibling), and
 * of `generate`'s changes, which tests/cli/generateCrash.test.ts covers, the first and the last
 * (the schema edited, nothing generated; all generated but the final manifest).
 */
function killPoints(changes: readonly Change[]): number[] {
  if (EVERY) return changes.map((c) => c.index);
  const generated = (c: Change) => /[/\\](\.generated\.staging-[^/\\]*|generated)([/\\]|$)/.test(c.path);
  const user = changes.filter((c) => !generated(c) && c.call === 'renameSync');
  const generate = changes.filter(generated);
  const spread = generate.length ? [generate[0]!, generate.at(-1)!] : [];
  return [...new Set([...user, ...spread].map((c) => c.index))].sort((a, b) => a - b);
}

/** Run `work` over `items`, two at a time. */
async function twoAtATime<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  };
  await Promise.all([worker(), worker()]);
}

describe('init, add-entity and doctor --fix killed at any file-system change', () => {
  for (const scenario of SCENARIOS) {
    it(`${scenario.name}: running it again completes it, nothing left behind`, { timeout: EVERY ? 1_800_000 : 300_000 }, async () => {
      const reference = project(scenario.files());
      const before = snapshot(reference);
      const clean = await cli(reference, scenario.args, { TRACKHUB_KILL_TRACE: '1' });
      expect(clean.status, `${clean.stdout}\n${clean.stderr}`).toBe(0);
      const expected = snapshot(reference);
      expect(expected).not.toEqual(before);
      expect(leftovers(reference)).toEqual([]);
      const changes = [...clean.stderr.matchAll(/^FS (\d+) (\w+) (.*)$/gm)].map((m) => ({ index: Number(m[1]), call: m[2]!, path: m[3]! }));
      expect(changes.length).toBe(Number(/^FS CHANGES (\d+)$/m.exec(clean.stdout)?.[1]));
      const points = killPoints(changes);
      expect(points.length).toBeGreaterThanOrEqual(2);

      await twoAtATime(points, async (point) => {
        const dir = project(scenario.files());
        const killed = await cli(dir, scenario.args, { TRACKHUB_KILL_AT: String(point) });
        expect(killed.signal, `kill point ${point}: ${killed.stdout}\n${killed.stderr}`).toBe('SIGKILL');
        const at = /^KILL .*$/m.exec(killed.stdout)?.[0];
        expect(at).toMatch(new RegExp(`^KILL ${point} `));
        const again = await cli(dir, scenario.args, {});
        expect(again.status, `after the ${at}: ${again.stdout}\n${again.stderr}`).toBe(0);
        expect(leftovers(dir), `after the ${at}`).toEqual([]);
        expect(snapshot(dir), `after the ${at}`).toEqual(expected);
      });
    });
  }
});

describe('add-entity run again (README "Scaffolding: init, add-entity, doctor")', () => {
  it('an entity declared exactly as add-entity writes it is done: exit 0, nothing written; declared otherwise, exit 2 and why', () => {
    const dir = project({ 'prisma/schema.prisma': syncedPrisma() });
    const args = ['add-entity', 'Comment', '--fields', 'body:String task:Task?', '--no-generate'];
    expect(runCli(args, dir).status).toBe(0);
    const hash = treeHash(dir);
    const again = runCli([...args, '--json'], dir);
    expect(again.status, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ status: 'present', changes: [{ path: 'prisma/schema.prisma', action: 'keep' }] });
    expect(treeHash(dir)).toBe(hash);

    const other = runCli(['add-entity', 'Comment', '--fields', 'body:String', '--no-generate'], dir);
    expect(other.status).toBe(2);
    expect(other.stderr).toMatch(
      /'Comment' is already declared in prisma\/schema\.prisma, not as add-entity would write it .*run `trackhub-sync generate`/,
    );
    expect(treeHash(dir)).toBe(hash);
  });
});

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Model } from '@nozbe/watermelondb';
import { describe, expect, it } from 'vitest';
import { REPO, cli } from '../support/cli';
import { openDatabase, type GeneratedWatermelon } from '../support/watermelon';
import { installInto, scratchDir } from './support';

// README's "New mini-app in five minutes", step by step: the commands and
// files are read from the README itself, so the walkthrough cannot drift.
// Setup the README leaves to npm (`npm install`) is done by linking this
// repository's node_modules into the empty folder.

const readme = readFileSync(join(REPO, 'README.md'), 'utf8');

/** The fenced block right after `<!-- walkthrough:NAME -->`. */
function walkthroughBlock(name: string): string {
  const match = new RegExp(`<!-- walkthrough:${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} -->\\s*\`\`\`\\w*\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!match) throw new Error(`README has no walkthrough block '${name}'`);
  return match[1]!;
}

/** Split a command line as a POSIX shell would for simple double-quoted words. */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

describe('README walkthrough: new mini-app in five minutes', () => {
  it('init → add-entity ×2 → generate → doctor clean → tsc → WatermelonDB', async () => {
    const dir = scratchDir('trackhub-walkthrough-');
    const commands = walkthroughBlock('commands').trim().split('\n');
    expect(commands.map((c) => words(c).slice(0, c.includes('add-entity') ? 4 : 3).join(' '))).toEqual([
      'npx trackhub-sync init',
      'npx trackhub-sync add-entity Task',
      'npx trackhub-sync add-entity Comment',
      'npx trackhub-sync generate',
      'npx trackhub-sync doctor',
    ]);
    for (const command of commands) {
      const run = cli(words(command).slice(2), dir);
      expect(run.status, `${command}\n${run.stdout}${run.stderr}`).toBe(0);
      if (command.endsWith('doctor')) expect(run.stdout).toMatch(/no problems found/);
    }
    // doctor --json agrees: nothing found, nothing to fix.
    const doctor = JSON.parse(cli(['doctor', '--json'], dir).stdout) as { status: string; entities: number; findings: unknown[]; diagnostics: unknown[] };
    expect(doctor).toMatchObject({ status: 'ok', entities: 3, findings: [], diagnostics: [] });

    // The support models init wrote are the ones the server target emits, and no entity lacks syncSeq.
    const serverModels = readFileSync(join(dir, 'generated/server/prisma/sync.prisma'), 'utf8');
    const userSchema = readFileSync(join(dir, 'prisma/schema.prisma'), 'utf8');
    for (const model of ['SyncOperation', 'SyncCounter']) {
      const block = new RegExp(`(?:///.*\\n)*model ${model} \\{[^}]*\\}`).exec(serverModels)?.[0];
      expect(block, model).toBeDefined();
      expect(userSchema).toContain(block);
    }
    expect(serverModels).not.toMatch(/Missing on/);

    installInto(dir);
    writeFileSync(join(dir, 'tsconfig.json'), walkthroughBlock('tsconfig.json'));
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src/db.ts'), walkthroughBlock('src/db.ts'));
    const tsc = (() => {
      try {
        return execFileSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', '.'], { cwd: dir, encoding: 'utf8' });
      } catch (error) {
        return String((error as { stdout?: string }).stdout ?? error);
      }
    })();
    expect(tsc).toBe('');

    // The generated tree loads into a real WatermelonDB (SQLite adapter on better-sqlite3).
    const generated = (await import(join(dir, 'generated/watermelon/index.ts'))) as GeneratedWatermelon;
    const db = openDatabase('sqlite', generated);
    type Row = Model & Record<string, unknown>;
    const task = await db.write(() =>
      db.get<Row>('tasks').create((t) => {
        t['title'] = 'Write the walkthrough';
        t['done'] = false;
        t['dueAt'] = new Date(Date.UTC(2026, 0, 2));
      }),
    );
    await db.write(() => db.get<Row>('comments').create((c) => void (c['body'] = 'looks good')));
    await db.write(() => db.get<Row>('notes').create((n) => void (n['title'] = 'first')));
    const [reread] = await db.get<Row>('tasks').query().fetch();
    expect(reread!.id).toBe(task.id);
    expect(reread!['title']).toBe('Write the walkthrough');
    expect((reread!['dueAt'] as Date).toISOString()).toBe('2026-01-02T00:00:00.000Z');
    expect(await db.get('comments').query().fetchCount()).toBe(1);
    expect(await db.get('notes').query().fetchCount()).toBe(1);
  });
});

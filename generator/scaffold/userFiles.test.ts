import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempFolders } from '../../tests/support/tempFolders';
import { applyChanges, planCreate, planEdit, sweepDeadTemps, tempPath } from './userFiles';

// A killed init / add-entity / doctor --fix can leave a temporary sibling beside the user's file
// (written, never renamed); the next run removes it, never a live run's, never another name.
// tests/cli/scaffoldCrash.test.ts kills real runs.

const temp = tempFolders();

function folder(): string {
  const root = temp('trackhub-userfiles-');
  writeFileSync(join(root, 'schema.prisma'), 'model User {\n  id Int @id\n}\n');
  return root;
}

/** The id of a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

describe('applyChanges after a killed run', () => {
  it("removes the temporary sibling a dead run left beside a file it changes, never a live run's or another name", () => {
    const root = folder();
    const schema = join(root, 'schema.prisma');
    const dead = deadPid();
    const left = {
      dead: tempPath(schema, dead),
      live: tempPath(schema, process.ppid), // another process, alive: a run going on right now
      staged: `${schema}.trackhub-sync-${dead}-1`, // write.ts's name (another file system), not this module's
      user: `${schema}.trackhub-sync-backup`,
      elsewhere: tempPath(join(root, 'other.prisma'), dead), // beside a file this run does not touch
    };
    for (const path of Object.values(left)) writeFileSync(path, 'half\n');

    applyChanges([planEdit(schema, (text) => `${text}\nenum Kind {\n  A\n}\n`), planCreate(join(root, 'config.json'), '{}\n')]);
    expect(readFileSync(schema, 'utf8')).toBe('model User {\n  id Int @id\n}\n\nenum Kind {\n  A\n}\n');
    expect(readdirSync(root).sort()).toEqual(
      [
        'config.json',
        'schema.prisma',
        `schema.prisma.trackhub-sync-${process.ppid}`,
        `schema.prisma.trackhub-sync-${dead}-1`,
        'schema.prisma.trackhub-sync-backup',
        `other.prisma.trackhub-sync-${dead}`,
      ].sort(),
    );
  });

  it('sweepDeadTemps alone (doctor --fix with nothing left to fix) removes only dead temporary siblings', () => {
    const root = folder();
    const schema = join(root, 'schema.prisma');
    const dead = tempPath(schema, deadPid());
    writeFileSync(dead, 'half\n');
    writeFileSync(tempPath(schema, process.ppid), 'live\n');
    sweepDeadTemps([schema, join(root, 'missing/nothing.prisma')]);
    expect(readdirSync(root).sort()).toEqual(['schema.prisma', `schema.prisma.trackhub-sync-${process.ppid}`]);
  });

  it('an edit that changes nothing keeps the file (a re-run writes nothing)', () => {
    const root = folder();
    const schema = join(root, 'schema.prisma');
    expect(planEdit(schema, (text) => text)).toEqual({ kind: 'keep', path: schema, reason: 'unchanged' });
  });
});

import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from '@prisma/prisma-schema-wasm';
import { diffLines } from 'diff';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli';
import { scratchDir } from './support';

// doctor checks the conventions; --fix inserts what is missing into the
// user's Prisma schema (insertions only: the rest keeps its bytes) and the
// result must pass Prisma's own validation.

/** Hand-formatted, missing base fields, syncSeq, both indexes, @unique on clientId and the support models. */
const BROKEN = `datasource db {
  provider = "sqlite"
}

// Hand-written; its odd alignment must survive.
/// A note.
/// @sync
model Note {
  id    String  @id @default(uuid())
  title String // the title
  clientId String? // local id
}

/// @sync(strategy: serverMerge, scope: spaceId)
model Board {
  id      String @id
  spaceId String?
  name    String
  @@map("boards")
}

/// Not synced: never touched.
model Audit {
  id Int @id
}
`;

function prismaValidate(text: string): void {
  validate(JSON.stringify({ prismaSchema: [['schema.prisma', text]], noColor: true }));
}

describe('trackhub-sync doctor', () => {
  it('reports every missing convention with its location, as text and --json (exit 1)', () => {
    const dir = scratchDir('trackhub-doctor-');
    writeFileSync(join(dir, 'schema.prisma'), BROKEN);
    const text = cli(['doctor', '--schema', 'schema.prisma'], dir);
    expect(text.status).toBe(1);
    expect(text.stderr).toContain('schema.prisma:8:1 DR101 model Note: missing base field(s) version, updatedAt, deletedAt, tenantId');
    expect(text.stderr).toContain('schema.prisma:11:1 DR103 model Note: clientId is not unique');
    expect(text.stderr).toContain('schema.prisma:15:1 DR102 model Board: no index on (spaceId, updatedAt, id)');
    expect(text.stdout).toMatch(/doctor --fix/);

    const json = cli(['doctor', '--schema', 'schema.prisma', '--json'], dir);
    expect(json.status).toBe(1);
    const report = JSON.parse(json.stdout) as { status: string; findings: { code: string; entity?: string; model?: string; fields?: string[] }[] };
    expect(report.status).toBe('problems');
    expect(report.findings.map((f) => `${f.code} ${f.entity ?? f.model ?? ''} ${f.fields?.join(',') ?? ''}`.trim())).toEqual([
      'DR101 Note version,updatedAt,deletedAt,tenantId',
      'DR105 Note syncSeq',
      'DR103 Note',
      'DR102 Note tenantId,updatedAt,id',
      'DR105 Note tenantId,syncSeq',
      'DR101 Board clientId,version,updatedAt,deletedAt',
      'DR105 Board syncSeq',
      'DR102 Board spaceId,updatedAt,id',
      'DR105 Board spaceId,syncSeq',
      'DR104 SyncOperation',
      'DR104 SyncCounter',
    ]);
    expect(readFileSync(join(dir, 'schema.prisma'), 'utf8')).toBe(BROKEN);
  });

  it('--fix gives a schema Prisma validates and doctor accepts, changing nothing but insertions', () => {
    const dir = scratchDir('trackhub-doctor-fix-');
    const schema = join(dir, 'schema.prisma');
    writeFileSync(schema, BROKEN);
    expect(() => prismaValidate(BROKEN)).not.toThrow();

    const fix = cli(['doctor', '--schema', 'schema.prisma', '--fix'], dir);
    expect(fix.status, fix.stdout + fix.stderr).toBe(0);
    expect(fix.stdout).toMatch(/fixed schema\.prisma: model Note: missing base field/);
    const fixed = readFileSync(schema, 'utf8');
    expect(() => prismaValidate(fixed)).not.toThrow();

    // Only insertions, except the one line that gained `@unique` before its comment.
    const removed = diffLines(BROKEN, fixed).filter((part) => part.removed);
    expect(removed.map((p) => p.value)).toEqual(['  clientId String? // local id\n']);
    expect(fixed).toContain('  clientId String? @unique // local id\n');
    expect(fixed).toContain('  @@map("boards")\n  @@index([spaceId, updatedAt, id])\n  @@index([spaceId, syncSeq])\n}');
    expect(fixed).toContain(
      '  tenantId  String?\n  /// Change sequence of the sync API (trackhub-sync): server-only.\n  /// @sync.ignore\n  syncSeq   BigInt    @default(0)\n\n  @@index([tenantId, updatedAt, id])\n',
    );
    expect(fixed).toContain('model SyncOperation {');
    expect(fixed).toContain('model SyncCounter {');
    expect(fixed).toContain('/// Not synced: never touched.\nmodel Audit {\n  id Int @id\n}\n');

    const again = cli(['doctor', '--schema', 'schema.prisma'], dir);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/2 synced entities, no problems found/);

    // A clean schema: --fix writes nothing.
    const before = statSync(schema).mtimeMs;
    expect(cli(['doctor', '--schema', 'schema.prisma', '--fix'], dir).status).toBe(0);
    expect(statSync(schema).mtimeMs).toBe(before);
    expect(readFileSync(schema, 'utf8')).toBe(fixed);
  });

  it('flags a replay log keyed the old way (@@id([tenantId, opId])) and leaves the key to a migration', () => {
    const dir = scratchDir('trackhub-doctor-outdated-');
    const schema = join(dir, 'schema.prisma');
    writeFileSync(schema, BROKEN);
    expect(cli(['doctor', '--schema', 'schema.prisma', '--fix'], dir).status).toBe(0);
    const current = readFileSync(schema, 'utf8');
    const old = current.replace('@@id([tenantId, entity, opId])', '@@id([tenantId, opId])');
    expect(old).not.toBe(current);
    writeFileSync(schema, old);

    const run = cli(['doctor', '--schema', 'schema.prisma', '--fix'], dir);
    expect(run.status).toBe(1);
    const line = old.split('\n').findIndex((l) => l.startsWith('model SyncOperation')) + 1;
    expect(run.stderr).toContain(
      `schema.prisma:${line}:1 DR106 model SyncOperation: key is tenantId, opId, the sync runtime needs @@id([tenantId, entity, opId])`,
    );
    expect(run.stderr).toMatch(/migrate the table/);
    expect(readFileSync(schema, 'utf8')).toBe(old);

    writeFileSync(schema, old.replace(/\n {2}entity +String\n/, '\n'));
    const noEntity = cli(['doctor', '--schema', 'schema.prisma', '--json'], dir);
    expect(noEntity.status).toBe(1);
    const report = JSON.parse(noEntity.stdout) as { findings: { code: string; model?: string; fields?: string[] }[] };
    expect(report.findings).toEqual([expect.objectContaining({ code: 'DR106', model: 'SyncOperation', fields: ['entity'] })]);
  });

  it('input errors are exit 2 with located diagnostics, not convention problems', () => {
    const dir = scratchDir('trackhub-doctor-bad-');
    writeFileSync(join(dir, 'schema.prisma'), BROKEN.replace('/// @sync\n', '/// @sync(strategy: lastWriteWin)\n'));
    const run = cli(['doctor', '--schema', 'schema.prisma'], dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/schema\.prisma:7:\d+ TS102 .*unknown strategy 'lastWriteWin'/);
  });
});

import { describe, expect, it } from 'vitest';
import { buildIr } from '../../../ir/build';
import { readPrisma } from '../../../readers/prisma/readPrisma';
import type { SnapshotFile } from './chain';
import { keepSnapshots, planMigrations, type MigrationInput, type MigrationPlan } from './planMigrations';

const BASE = `
  id        String    @id @default(uuid())
  clientId  String?   @unique
  version   Int       @default(1)
  updatedAt DateTime? @updatedAt
  deletedAt DateTime?
  tenantId  String?`;

function ir(body: string) {
  const text = `datasource db {\n  provider = "postgresql"\n}\n/// @sync\nmodel Task {${BASE}\n${body}\n}\n`;
  const { ir: result, diagnostics } = buildIr([readPrisma([{ path: 'schema.prisma', text }])]);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result;
}

const options = (extra: Partial<MigrationInput['options']> = {}): MigrationInput['options'] => ({
  history: '/app/trackhub-sync/migrations',
  allowDestructive: false,
  allow: [],
  renames: {},
  ...extra,
});

/** Generate version 1 from `v1`, then plan `v2` against its snapshot. */
function twoVersions(v1: string, v2: string, opts = options()) {
  const first = planMigrations({ ir: ir(v1), options: opts, snapshots: [], shownHistory: 'hist' });
  const snapshots: SnapshotFile[] = first.files.map((f) => ({ path: f.path, text: f.contents }));
  return { snapshots, plan: () => planMigrations({ ir: ir(v2), options: opts, snapshots, shownHistory: 'hist' }) };
}

function diagnosticsOf(fn: () => MigrationPlan): string[] {
  const plan = fn();
  expect(plan.files, 'a refused plan has no files').toEqual([]);
  return plan.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.file} ${d.message}`);
}

describe('planMigrations', () => {
  it('starts the chain at version 1 and adds no version when nothing changed', () => {
    const { snapshots, plan } = twoVersions('title String', 'title String');
    expect(snapshots.map((s) => s.path)).toEqual(['0001.json']);
    const result = plan();
    expect(result.schemaVersion).toBe(1);
    expect(result.files.map((f) => f.contents)).toEqual(snapshots.map((s) => s.text));
  });

  it('ignores changes that never reach the device (server-only fields)', () => {
    const { plan } = twoVersions('title String', 'title String\n  /// @sync.ignore\n  secret String?');
    expect(plan().schemaVersion).toBe(1);
  });

  it('bumps the version and appends a step when a column is added', () => {
    const result = twoVersions('title String', 'title String\n  note String?').plan();
    expect(result.schemaVersion).toBe(2);
    expect(result.files.map((f) => f.path)).toEqual(['0001.json', '0002.json']);
    expect(result.changes.map((c) => c.kind)).toEqual(['addColumns']);
    expect(result.migrationsSource).toContain('toVersion: 2');
    expect(result.migrationsSource).toContain("2: ['Task']");
  });

  it('refuses a destructive change, naming table and column, unless allowed', () => {
    const { plan } = twoVersions('title String\n  legacy String?', 'title String');
    expect(diagnosticsOf(plan)).toEqual([
      "TS301 schema.prisma table 'tasks' › column 'legacy' was removed: dropping it deletes its values on every device",
    ]);
  });

  it('accepts a destructive change allowed by table.column, by table, or globally, with a warning', () => {
    for (const opts of [options({ allow: ['tasks.legacy'] }), options({ allow: ['tasks'] }), options({ allowDestructive: true })]) {
      const result = twoVersions('title String\n  legacy String?', 'title String', opts).plan();
      expect(result.schemaVersion).toBe(2);
      expect(result.diagnostics.map((w) => `${w.code} ${w.severity}`)).toEqual(['TS301 warning']);
      expect(result.migrationsSource).toContain('DESTRUCTIVE');
    }
    expect(diagnosticsOf(twoVersions('title String\n  legacy String?', 'title String', options({ allow: ['tasks.other'] })).plan)).toHaveLength(1);
  });

  it('treats a stated rename as a safe change', () => {
    const result = twoVersions('title String', 'heading String', options({ renames: { 'tasks.title': 'heading' } })).plan();
    expect(result.changes).toEqual([{ kind: 'renameColumn', table: 'tasks', from: 'title', to: 'heading' }]);
    expect(result.diagnostics).toEqual([]);
  });
});

describe('snapshot chain', () => {
  const chainOf = () => {
    const { snapshots } = twoVersions('title String', 'title String');
    const second = planMigrations({ ir: ir('title String\n  note String?'), options: options(), snapshots, shownHistory: 'hist' });
    return second.files.map((f) => ({ path: f.path, text: f.contents }));
  };
  const plan = (snapshots: SnapshotFile[]) => () =>
    planMigrations({ ir: ir('title String\n  note String?'), options: options(), snapshots, shownHistory: 'hist' });

  it('accepts an intact chain', () => {
    expect(plan(chainOf())().schemaVersion).toBe(2);
  });

  it('fails on a missing version', () => {
    const [, second] = chainOf();
    expect(diagnosticsOf(plan([second!]))).toEqual(['TS300 hist/0001.json snapshot version 1 is missing: the chain from version 1 to 2 is broken']);
  });

  it('fails when a parent was edited or the chain forked', () => {
    const [first, second] = chainOf();
    const edited = {
      ...first!,
      text: first!.text.replace('"title", "type": "string", "isOptional": false', '"title", "type": "string", "isOptional": true'),
    };
    expect(edited.text).not.toBe(first!.text);
    expect(diagnosticsOf(plan([edited, second!]))[0]).toMatch(/hist\/0002\.json snapshot version 2 does not follow 0001\.json .*broken or forked/);
  });

  it('fails when a snapshot does not follow from its parent and changes', () => {
    const [first, second] = chainOf();
    // The recorded change adds a string column, but the tables claim a number column.
    const tampered = {
      ...second!,
      text: second!.text.replace(/("tables": \[[\s\S]*)"name": "note", "type": "string"/, '$1"name": "note", "type": "number"'),
    };
    expect(tampered.text).not.toBe(second!.text);
    expect(diagnosticsOf(plan([first!, tampered]))[0]).toMatch(/0002\.json snapshot version 2: its tables do not follow/);
  });

  it('fails on malformed snapshots and stray files, validating with zod', () => {
    const [first] = chainOf();
    expect(diagnosticsOf(plan([{ ...first!, text: first!.text.replace('"format": 1', '"format": 9') }]))[0]).toMatch(/malformed at format/);
    expect(diagnosticsOf(plan([{ path: '0001.json', text: '{' }]))[0]).toMatch(/not valid JSON/);
    expect(diagnosticsOf(plan([first!, { path: 'notes.txt', text: '' }]))[0]).toMatch(/unexpected file/);
    expect(diagnosticsOf(plan([{ ...first!, path: '0002.json' }]))[0]).toMatch(/says version 1 but its file name says 2/);
  });

  it('fails when the output declares a later version than the history holds (the regression guard)', () => {
    const [first] = chainOf();
    const at = { file: 'gen/watermelon/migrations.ts', line: 40, column: 7 };
    const run =
      (snapshots: SnapshotFile[], version = 2) =>
      () =>
        planMigrations({ ir: ir('title String\n  note String?'), options: options(), snapshots, shownHistory: 'hist', declared: [{ version, at }] });
    expect(diagnosticsOf(run([]))).toEqual([
      'TS302 gen/watermelon/migrations.ts the generated code is at local schema version 2 but the migration history hist/ holds no snapshot: devices may hold version 2',
    ]);
    expect(diagnosticsOf(run([first!]))[0]).toMatch(/history hist\/ ends at version 1: devices may hold version 2/);
    // Version 1 in the output with no history is a first run, not a regression.
    expect(run([], 1)().schemaVersion).toBe(1);
    expect(run(chainOf())().schemaVersion).toBe(2);
  });

  it('keeps the bytes of committed snapshots: the history is append-only', () => {
    const [first, second] = chainOf();
    const reformatted = { ...first!, text: `${first!.text}\n` };
    const result = planMigrations({
      ir: ir('title String\n  note String?\n  due Float?'),
      options: options(),
      snapshots: [reformatted, second!],
      shownHistory: 'hist',
    });
    expect(result.files.map((f) => f.path)).toEqual(['0001.json', '0002.json', '0003.json']);
    expect(result.files[0]!.contents).toBe(reformatted.text);
  });

  it('keeps the chain unchanged when the WatermelonDB target is off', () => {
    const chain = chainOf();
    expect(keepSnapshots({ snapshots: chain, shownHistory: 'hist' })).toEqual({
      files: chain.map((f) => ({ path: f.path, contents: f.text })),
      diagnostics: [],
    });
  });
});

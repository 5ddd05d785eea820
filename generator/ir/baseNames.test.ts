import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPrismaSchema } from '../scaffold/doctorChecks';
import { readGraphql } from '../readers/graphql/readGraphql';
import { readPrisma } from '../readers/prisma/readPrisma';
import { buildIr } from './build';
import { fieldAccess } from './fieldAccess';

const prisma = (fields: string) =>
  readPrisma([{ path: 'schema.prisma', text: `datasource db {\n  provider = "postgresql"\n}\n/// @sync\nmodel Note {\n${fields}\n}\n` }]);

describe('configurable base-field names (config baseFields)', () => {
  it('gives the roles to the configured fields and makes a field of the old name a user field', () => {
    const facts = prisma(`
  id         String    @id @default(uuid())
  clientId   String?   @unique
  rowVersion Int       @default(1)
  updatedAt  DateTime? @updatedAt
  archivedAt DateTime?
  orgId      String?
  version    String?
  deletedAt  String?`);
    const { ir, diagnostics } = buildIr([facts], { baseFields: { version: 'rowVersion', deletedAt: 'archivedAt', scope: 'orgId' } });
    expect(diagnostics).toEqual([]);
    const note = ir.entities[0]!;
    expect(note.baseFields).toEqual({ version: 'rowVersion', deletedAt: 'archivedAt' });
    expect(note.scope).toBe('orgId');
    const access = Object.fromEntries(note.fields.map((f) => [f.name, [f.isBase, f.column, fieldAccess(note, f)]]));
    expect(access).toMatchObject({
      rowVersion: [true, 'row_version', 'server'],
      archivedAt: [true, 'archived_at', 'server'],
      version: [false, 'version', 'writable'],
      deletedAt: [false, 'deleted_at', 'writable'],
      orgId: [false, 'org_id', 'server'],
    });
    // Base fields first, in canonical order, whatever their names.
    expect(note.fields.map((f) => f.name).slice(0, 5)).toEqual(['id', 'clientId', 'rowVersion', 'updatedAt', 'archivedAt']);
  });

  it('asks for the configured name when a renamed required field is missing; per-entity names override', () => {
    const facts = prisma(`
  id        String    @id @default(uuid())
  clientId  String?   @unique
  version   Int       @default(1)
  updatedAt DateTime? @updatedAt
  deletedAt DateTime?
  tenantId  String?`);
    const { diagnostics } = buildIr([facts], { baseFields: { entities: { Note: { version: 'rowVersion' } } } });
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['TS101', "model Note: missing required base field 'rowVersion' (plays version, config baseFields)"],
    ]);
    expect(diagnostics[0]!.hint).toContain('`rowVersion Int @default(1)`');
    expect(buildIr([facts], { baseFields: { entities: { Other: { version: 'rowVersion' } } } }).diagnostics).toEqual([]);
  });

  it('brings the SDL base fields of CrtBaseEntity under the configured names', () => {
    const facts = readGraphql([
      { path: 'schema.graphql', text: 'type Note implements CrtBaseEntity @sync {\n  id: ID!\n  title: String!\n  version: String\n}\n' },
    ]);
    const { ir, diagnostics } = buildIr([facts], { baseFields: { version: 'rowVersion', updatedAt: 'modifiedAt' } });
    expect(diagnostics).toEqual([]);
    const fields = Object.fromEntries(ir.entities[0]!.fields.map((f) => [f.name, f.isBase]));
    expect(fields).toMatchObject({ rowVersion: true, modifiedAt: true, version: false, title: false });
    expect(fields).not.toHaveProperty('updatedAt');
  });

  it('doctor looks for the renamed fields under their configured names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trackhub-doctor-names-'));
    try {
      const file = join(dir, 'schema.prisma');
      const model = [
        '/// @sync',
        'model Note {',
        '  id         String    @id @default(uuid())',
        '  localId    String?',
        '  rowVersion Int       @default(1)',
        '  modifiedAt DateTime?',
        '  deletedAt  DateTime?',
        '  orgId      String?',
        '  version    String?',
        '',
        '  @@index([orgId, modifiedAt, id])',
        '}',
        '',
      ].join('\n');
      writeFileSync(file, model);
      const baseFields = { version: 'rowVersion', updatedAt: 'modifiedAt', clientId: 'localId', scope: 'orgId' };
      const found = checkPrismaSchema([file], dir, { server: false, baseFields }).findings.map((f) => [f.code, f.message]);
      expect(found).toEqual([['DR103', 'model Note: localId is not unique']]);
      const plain = checkPrismaSchema([file], dir, { server: false }).findings.map((f) => f.message);
      expect(plain[0]).toBe('model Note: missing base field(s) clientId, updatedAt, tenantId');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

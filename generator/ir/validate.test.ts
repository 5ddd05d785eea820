import { describe, expect, it } from 'vitest';
import { buildIr } from './build';
import { readPrisma } from '../readers/prisma/readPrisma';
import { validateServer } from '../targets/server/generate';

const BASE = `
  id        String    @id @default(uuid())
  clientId  String?   @unique
  version   Int       @default(1)
  updatedAt DateTime? @updatedAt
  deletedAt DateTime?
  tenantId  String?`;

function build(strategy: string, body: string) {
  const text = `datasource db {\n  provider = "postgresql"\n}\n/// @sync(strategy: ${strategy})\nmodel Task {${BASE}\n${body}\n}\n`;
  return buildIr([readPrisma([{ path: 'schema.prisma', text }])]);
}

describe('diagnostic codes of the protocol checks (numbered after TS117-TS119)', () => {
  it('warns (TS120) about a merge rule on an entity whose strategy does not merge, and not under serverMerge', () => {
    const lww = build('lastWriteWins', '  views Int @default(0) /// @sync.merge(counter)');
    expect(lww.diagnostics.map((d) => [d.code, d.severity])).toEqual([['TS120', 'warning']]);
    expect(build('serverMerge', '  views Int @default(0) /// @sync.merge(counter)').diagnostics).toEqual([]);
  });

  it('reports a GraphQL type clash of the generated SDL as TS121', () => {
    const { ir } = build('lastWriteWins', '  title String');
    const clash = { ...ir, enums: [...ir.enums, { name: 'TaskPullResponse', values: ['A'], location: ir.entities[0]!.location }] } as typeof ir;
    const codes = validateServer({
      ir: clash,
      config: { server: { maxBatch: 500, pageSize: { default: 1000, max: 5000, perEntity: {} }, tombstoneHorizonDays: 30 } } as never,
    }).map((d) => d.code);
    expect(codes).toContain('TS121');
  });
});

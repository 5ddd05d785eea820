import { readFileSync } from 'node:fs';
import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { readGraphql } from '../readers/graphql/readGraphql';
import { buildIr } from './build';

// `@syncFile` is the SDL spelling of `@sync.file`; both reach the same IR (the Prisma side: tests/golden/media).
const sdl = (field: string) =>
  readGraphql([
    {
      path: 'schema.graphql',
      text: `type Expense implements CrtBaseEntity @sync {\n  id: ID!\n  syncSeq: BigInt @syncIgnore\n  ${field}\n}\n`,
    },
  ]);

describe('file fields in SDL', () => {
  it('@syncFile(maxBytes:, accept:) becomes IrField.file', () => {
    const { ir, diagnostics } = buildIr([sdl('receiptKey: String @syncFile(maxBytes: 1048576, accept: "image/*, Application/PDF")')]);
    expect(diagnostics).toEqual([]);
    const field = ir.entities[0]!.fields.find((f) => f.name === 'receiptKey')!;
    expect(field.file).toEqual({ maxBytes: 1048576, accept: ['image/*', 'application/pdf'] });
    const plain = buildIr([sdl('receiptKey: String! @syncFile')]).ir.entities[0]!.fields.find((f) => f.name === 'receiptKey')!;
    expect(plain.file).toEqual({});
  });

  it('refuses @syncFile on a non-String field with the SDL spelling in the hint', () => {
    const { diagnostics } = buildIr([sdl('pages: Int @syncFile')]);
    expect(diagnostics).toMatchObject([
      { code: 'TS122', file: 'schema.graphql', line: 4, message: expect.stringContaining('@syncFile needs a String field, not Int') },
    ]);
    expect(diagnostics[0]!.hint).toContain('pages: String');
  });

  it('schema/directives.graphql declares @syncFile with the arguments the generator reads', () => {
    const schema = buildSchema(`${readFileSync(new URL('../../schema/directives.graphql', import.meta.url), 'utf8')}\ntype Query { x: Int }`);
    const directive = schema.getDirective('syncFile')!;
    expect(directive.args.map((a) => `${a.name}: ${String(a.type)}`)).toEqual(['maxBytes: Int', 'accept: String']);
    expect(directive.locations).toEqual(['FIELD_DEFINITION']);
  });
});

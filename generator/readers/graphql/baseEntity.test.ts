import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readPrisma } from '../prisma/readPrisma';
import { BASE_ENTITY_INTERFACE, baseEntityFields } from './baseEntity';
import { readGraphql } from './readGraphql';

// The base fields are written three times: here (implicit SDL fields), in the
// shipped schema/directives.graphql and in schema/base-fields.prisma. They must agree.
const at = { file: 'x', line: 1, column: 1 };
const shape = (f: { name: string; typeName: string; kind: string; isRequired: boolean; isList: boolean }) => ({
  name: f.name,
  typeName: f.typeName,
  kind: f.kind,
  isRequired: f.isRequired,
  isList: f.isList,
});

describe('CrtBaseEntity', () => {
  const implicit = baseEntityFields(at).map(shape);

  it('matches the interface in schema/directives.graphql', () => {
    const sdl = readFileSync(new URL('../../../schema/directives.graphql', import.meta.url), 'utf8').replace(
      `interface ${BASE_ENTITY_INTERFACE}`,
      'type Probe',
    );
    const probe = readGraphql([{ path: 'directives.graphql', text: sdl }]).models.find((m) => m.name === 'Probe')!;
    expect(probe.fields.map(shape)).toEqual(implicit);
  });

  it('matches the model in schema/base-fields.prisma, defaults included', () => {
    const text = `datasource db {\n  provider = "postgresql"\n}\n${readFileSync(new URL('../../../schema/base-fields.prisma', import.meta.url), 'utf8')}`;
    const facts = readPrisma([{ path: 'base-fields.prisma', text }]);
    expect(facts.diagnostics).toEqual([]);
    const model = facts.models.find((m) => m.name === BASE_ENTITY_INTERFACE)!;
    expect(model.fields.map(shape)).toEqual(implicit);
    expect(model.fields.map((f) => [f.name, f.default])).toEqual(baseEntityFields(at).map((f) => [f.name, f.default]));
  });
});

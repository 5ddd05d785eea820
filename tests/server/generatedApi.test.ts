import { readFileSync } from 'node:fs';
import { buildSchema, isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createResolvers, entities, typeDefs } from '../../examples/trackhub-core/generated/server';

const generated = new URL('../../examples/trackhub-core/generated/server/', import.meta.url);

describe('generated server API of the example', () => {
  it('typeDefs is schema.graphql, and the SDL builds', () => {
    const sdl = readFileSync(new URL('schema.graphql', generated), 'utf8');
    expect(sdl.replace(/^# Code generated.*\n/, '')).toBe(typeDefs.replace(/^\n/, ''));
    expect(() => buildSchema(typeDefs)).not.toThrow();
  });

  it('has a resolver for every operation of the SDL and no other', () => {
    const schema = buildSchema(typeDefs);
    // The resolver map is built without touching the database: only its keys are read here.
    const resolvers = createResolvers({ prisma: {} as never, dialect: 'sqlite' });
    for (const type of ['Query', 'Mutation'] as const) {
      const object = schema.getType(type);
      if (!isObjectType(object)) throw new Error(`${type} missing`);
      expect(Object.keys(resolvers[type]).sort()).toEqual(Object.keys(object.getFields()).sort());
    }
    expect(Object.keys(schema.getQueryType()!.getFields())).toContain('syncPullLabel');
    expect(Object.keys(schema.getMutationType()!.getFields())).not.toContain('syncPushLabel');
  });

  it('leaves @sync.ignore fields out of the typed records and push inputs', () => {
    const schema = buildSchema(typeDefs);
    for (const name of ['Space', 'SpaceData']) {
      const type = schema.getType(name) as { getFields(): Record<string, unknown> };
      expect(Object.keys(type.getFields())).not.toContain('secret');
      expect(Object.keys(type.getFields())).not.toContain('syncSeq');
    }
    expect(Object.keys((schema.getType('SpaceData') as { getFields(): object }).getFields())).not.toContain('memberCount');
    expect(entities.every((e) => e.descriptor.sequence !== null)).toBe(true);
  });
});

import { buildSchema, isInputObjectType, isObjectType, type GraphQLSchema } from 'graphql';
import protobuf from 'protobufjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../generator/config';
import { snakeCase } from '../../generator/ir/names';
import { runPipeline } from '../../generator/pipeline';
import { syncProtoPath } from '../../generator/targets/proto/layout';

// sync.proto mirrors the GraphQL sync API the server target emits for the
// same schema: one rpc per operation, and the same fields in pulled records
// and pushed data. Both come from one pipeline run over the bundled example.
describe('sync.proto mirrors the GraphQL sync API', () => {
  let sdl: GraphQLSchema;
  let proto: protobuf.Namespace;

  beforeAll(async () => {
    const config = await resolveConfig({ config: 'examples/trackhub-core/trackhub-sync.config.json' });
    const { files } = runPipeline(config);
    const text = (path: string) => files.find((f) => f.path === path)!.contents;
    sdl = buildSchema(text('server/schema.graphql'));
    const { root } = protobuf.parse(text(syncProtoPath(config.proto.package)), new protobuf.Root(), { keepCase: true });
    proto = root.lookup(config.proto.package) as protobuf.Namespace;
  });

  it('one rpc per GraphQL sync operation', () => {
    const operations = [...Object.keys(sdl.getQueryType()!.getFields()), ...Object.keys(sdl.getMutationType()!.getFields())];
    const rpcs = Object.keys((proto.lookup('SyncService') as protobuf.Service).methods);
    expect(rpcs.sort()).toEqual(operations.map((o) => o.charAt(0).toUpperCase() + o.slice(1)).sort());
  });

  it('entity messages carry the pulled fields, <Entity>Data the pushable ones', () => {
    const fieldsOf = (name: string) => Object.keys((proto.lookup(name) as protobuf.Type).fields).sort();
    const pairs = Object.values(sdl.getTypeMap())
      .filter((t) => (isObjectType(t) && sdl.getQueryType()!.getFields()[`syncPull${t.name}`]) || (isInputObjectType(t) && t.name.endsWith('Data')))
      .map((t) => ({
        name: t.name,
        graphql: Object.keys((t as { getFields: () => Record<string, unknown> }).getFields())
          .map(snakeCase)
          .sort(),
      }));
    expect(pairs.length).toBeGreaterThanOrEqual(9);
    for (const { name, graphql } of pairs) expect({ name, fields: fieldsOf(name) }).toEqual({ name, fields: graphql });
  });
});

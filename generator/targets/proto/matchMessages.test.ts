import { describe, expect, it } from 'vitest';
import type { IrEntity } from '../../ir/types';
import { parseProto } from '../../readers/proto/parseProto';
import { matchMessages } from './matchMessages';

const file = (() => {
  const text =
    'syntax = "proto3";\npackage shop.v1;\nmessage Order {\n  message Item {\n    string id = 1;\n  }\n}\nmessage Cart {\n  string id = 1;\n}\n';
  const outcome = parseProto({ path: '/p/shop.proto', shown: 'shop.proto', text });
  if (!outcome.ok) throw new Error('parse failed');
  return outcome.facts;
})();

// Only the fields matchMessages reads.
const entity = (name: string): IrEntity => ({ name, location: { file: 'schema.graphql', line: 1, column: 6 } }) as IrEntity;

const matched = (names: string[], mapping: Record<string, string> = {}) => {
  const result = matchMessages(names.map(entity), [file], mapping, 'trackhub-sync.config.json');
  return { matches: result.matches.map((m) => `${m.entity.name}->${m.message.fullName}`), errors: result.diagnostics.map((d) => d.message) };
};

describe('matchMessages', () => {
  it('matches top-level messages by name; nested ones only through a mapping', () => {
    expect(matched(['Cart', 'Item'])).toEqual({ matches: ['Cart->shop.v1.Cart'], errors: ["entity Item: no message 'Item' in the proto files"] });
    expect(matched(['Item'], { Item: 'Order.Item' }).matches).toEqual(['Item->shop.v1.Order.Item']);
    expect(matched(['Basket'], { Basket: 'shop.v1.Cart' }).matches).toEqual(['Basket->shop.v1.Cart']);
  });

  it('refuses two entities on one message', () => {
    expect(matched(['Cart', 'Basket'], { Basket: 'Cart' }).errors).toEqual(['entity Basket: message shop.v1.Cart already belongs to entity Cart']);
  });
});

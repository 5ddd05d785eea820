import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const PROTOBUFJS = fileURLToPath(new URL('../../../node_modules/protobufjs/', import.meta.url));

/**
 * Load a .proto file with protobufjs, resolving `google/protobuf/*.proto`
 * imports from the copies protobufjs ships (timestamp, struct... are built in).
 */
export function loadProto(file: string): protobuf.Root {
  const root = new protobuf.Root();
  const resolve = root.resolvePath.bind(root);
  root.resolvePath = (origin, target) => {
    if (target.startsWith('google/protobuf/')) return existsSync(PROTOBUFJS + target) ? PROTOBUFJS + target : target;
    return resolve(origin, target);
  };
  return root.loadSync(file, { keepCase: true });
}

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A dependency loaded at its first use instead of when the CLI starts: a run
 * loads only what it uses (protobufjs for `.proto` files, diff for `--check`
 * and `--dry-run`), docs/PERFORMANCE.md "Generate". Both are CommonJS
 * packages, so this is the same module object a static import gives.
 */
export function lazyModule<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= require(id) as T;
    return loaded;
  };
}

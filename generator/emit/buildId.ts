/**
 * The identity of the generator's code, for keys of kept rendering
 * (renderCache.ts): a SHA-256 of the bin's bundle, dist/bin/cli.cjs, written
 * into it by the build (tsup.config.ts `buildCliBundle`). Null everywhere else
 * (the sources run through tsx, the ES module build): there is no single file
 * whose bytes are the code that renders, so nothing rendered is kept.
 */
export const BUILD_ID: string | null = null;

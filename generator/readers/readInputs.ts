import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { DiagnosticCode, diagnostic } from '../diagnostics';
import type { SchemaFacts } from './facts';
import { readGraphql, type GraphqlFile, type GraphqlReadOptions } from './graphql/readGraphql';
import { readPrisma, type SourceFile } from './prisma/readPrisma';

/** Path as shown in diagnostics and headers: relative to the base folder, POSIX separators. */
export function displayPath(baseDir: string, path: string): string {
  return relative(baseDir, path).split(sep).join('/') || '.';
}

/**
 * Read every `--schema` input: a `.prisma` file, a folder of `.prisma` files
 * (one multi-file schema), or a `.graphql` / `.gql` file. Every SDL file of
 * the set is read as one schema, so a type may use types of another file.
 */
export function readInputs(paths: readonly string[], baseDir: string, options: GraphqlReadOptions = {}): SchemaFacts[] {
  const isSdl = (path: string) => (path.endsWith('.graphql') || path.endsWith('.gql')) && existsSync(path) && !statSync(path).isDirectory();
  const sdl: GraphqlFile[] = paths.filter(isSdl).map((path) => ({ path: displayPath(baseDir, path), text: readFileSync(path, 'utf8') }));
  return paths.flatMap((path, index) => {
    if (isSdl(path)) return paths.findIndex(isSdl) === index ? [readGraphql(sdl, options)] : [];
    const shown = displayPath(baseDir, path);
    const missing = (message: string, hint: string): SchemaFacts => ({
      models: [],
      enums: [],
      sources: [shown],
      diagnostics: [diagnostic(DiagnosticCode.inputNotFound, { file: shown, line: 1, column: 1 }, message, hint)],
    });
    if (!existsSync(path)) return missing('schema input not found', 'Check the --schema path or the "schema" entry of the config.');
    if (statSync(path).isDirectory()) {
      const files = prismaFilesIn(path).map((f): SourceFile => ({ path: displayPath(baseDir, f), text: readFileSync(f, 'utf8') }));
      if (files.length === 0)
        return missing('folder holds no .prisma files', 'Point --schema at a Prisma file, a folder of them, or a .graphql file.');
      return readPrisma(files);
    }
    const text = readFileSync(path, 'utf8');
    if (path.endsWith('.prisma')) return readPrisma([{ path: shown, text }]);
    return missing('unknown schema file type', 'Inputs are .prisma files, folders of .prisma files, or .graphql / .gql files.');
  });
}

function prismaFilesIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'migrations' || entry.name === 'node_modules' ? [] : prismaFilesIn(full);
      return entry.name.endsWith('.prisma') ? [full] : [];
    })
    .sort();
}

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** What kind of schema a project keeps, and where. */
export type ProjectSchema = { kind: 'prisma'; path: string; folder: boolean } | { kind: 'graphql'; path: string } | { kind: 'none' };

/** Where Prisma looks by default (Prisma CLI docs: prisma/schema.prisma, then schema.prisma), plus a schema folder. */
const PRISMA_CANDIDATES = ['prisma/schema.prisma', 'schema.prisma'];
const PRISMA_FOLDERS = ['prisma/schema', 'prisma'];
const GRAPHQL_FOLDERS = ['.', 'src', 'graphql', 'schema', 'src/graphql', 'src/schema'];
const SKIP = new Set(['node_modules', 'generated', 'dist', 'build', 'trackhub-sync']);

/**
 * Detect the project's schema: an explicit path wins; then package.json's
 * `prisma.schema`, Prisma's default locations and a folder of `.prisma` files;
 * then a `.graphql` / `.gql` file in the usual folders.
 */
export function detectProject(cwd: string, explicit?: string): ProjectSchema {
  if (explicit) return classify(resolve(cwd, explicit));
  const fromPackage = prismaSchemaFromPackageJson(cwd);
  if (fromPackage && existsSync(fromPackage)) return classify(fromPackage);
  for (const candidate of PRISMA_CANDIDATES) {
    const path = join(cwd, candidate);
    if (existsSync(path) && statSync(path).isFile()) return { kind: 'prisma', path, folder: false };
  }
  for (const candidate of PRISMA_FOLDERS) {
    const path = join(cwd, candidate);
    if (isDir(path) && readdirSync(path).some((f) => f.endsWith('.prisma'))) return { kind: 'prisma', path, folder: true };
  }
  for (const folder of GRAPHQL_FOLDERS) {
    const dir = join(cwd, folder);
    if (!isDir(dir) || SKIP.has(folder)) continue;
    const sdl = readdirSync(dir)
      .filter((f) => /\.(graphql|gql)$/.test(f))
      .sort()[0];
    if (sdl) return { kind: 'graphql', path: join(dir, sdl) };
  }
  return { kind: 'none' };
}

function classify(path: string): ProjectSchema {
  if (/\.(graphql|gql)$/.test(path)) return { kind: 'graphql', path };
  return { kind: 'prisma', path, folder: isDir(path) };
}

function isDir(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

function prismaSchemaFromPackageJson(cwd: string): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')) as { prisma?: { schema?: unknown } };
    return typeof pkg.prisma?.schema === 'string' ? resolve(cwd, pkg.prisma.schema) : undefined;
  } catch {
    return undefined;
  }
}

/** The `.prisma` files of a schema input (one file, or every file of a folder, sorted). */
export function prismaFiles(path: string): string[] {
  if (!isDir(path)) return [path];
  return readdirSync(path, { withFileTypes: true })
    .flatMap((e) => {
      const full = join(path, e.name);
      if (e.isDirectory()) return e.name === 'migrations' || SKIP.has(e.name) ? [] : prismaFiles(full);
      return e.name.endsWith('.prisma') ? [full] : [];
    })
    .sort();
}

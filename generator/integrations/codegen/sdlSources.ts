import { readFileSync } from 'node:fs';
import { parse, type DocumentNode, type GraphQLSchema, type Source } from 'graphql';
import { packagePath } from '../../packageRoot';

/** The vocabulary file users add to codegen's `schema` so the SDL builds (it declares CrtBaseEntity). */
const VOCABULARY_FILE = packagePath('schema/directives.graphql');

/** Names declared by schema/directives.graphql: a source declaring only these is ours, not an input. */
const vocabularyNames: ReadonlySet<string> = new Set(definitionNames(parse(readFileSync(VOCABULARY_FILE, 'utf8'))));

function definitionNames(document: DocumentNode): string[] {
  return document.definitions.flatMap((d) => ('name' in d && d.name ? [d.name.value] : []));
}

/**
 * The SDL files codegen loaded, recovered from the schema's AST locations
 * (graphql-tools keeps `loc.source` with the file name and its full text).
 * Reading those files, rather than a reprint of the merged schema, gives the
 * pipeline the same input as `trackhub-sync generate --schema <file>`, and
 * diagnostics keep their `file:line:column`. Files that only declare the
 * trackhub-sync vocabulary are left out: the reader knows it already.
 */
export function sdlSourceFiles(schema: DocumentNode | undefined, schemaAst: GraphQLSchema | undefined): string[] {
  const sources = new Map<string, Source>();
  const add = (source: Source | undefined) => {
    if (source && !sources.has(source.name)) sources.set(source.name, source);
  };
  for (const def of schema?.definitions ?? []) add(def.loc?.source);
  for (const type of Object.values(schemaAst?.getTypeMap() ?? {})) {
    add(type.astNode?.loc?.source);
    for (const ext of type.extensionASTNodes ?? []) add(ext.loc?.source);
  }
  return [...sources.values()]
    .filter((source) => !isVocabularyOnly(source))
    .map((source) => source.name)
    .sort();
}

function isVocabularyOnly(source: Source): boolean {
  try {
    return definitionNames(parse(source.body, { noLocation: true })).every((name) => vocabularyNames.has(name));
  } catch {
    return false;
  }
}

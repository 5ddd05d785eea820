import pluralizeLibrary from 'pluralize';

/** Naming conventions shared by every target. */

/** `viewCount` -> `view_count`, `HTTPRequest` -> `http_request`. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[-\s]+/g, '_')
    .toLowerCase();
}

/** The rule table names used before the `pluralize` library: kept wherever it gives a real plural, so existing tables keep their names. */
function regularPlural(word: string): string {
  if (/[^aeiou]y$/i.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/i.test(word)) return `${word}es`;
  return `${word}s`;
}

/** Irregular nouns whose regular plural is not a word (`childs`); the library's plural is used. */
const IRREGULAR = new Set(['child', 'person', 'man', 'woman', 'mouse', 'goose', 'tooth', 'foot', 'ox']);
/** Singular nouns the library takes for plurals (it would leave `canvas` as is). */
const SINGULAR_IN_S = new Set(['canvas', 'lens', 'atlas', 'iris']);

/**
 * English plural of the last word, for table names (`category` -> `categories`,
 * `settings` -> `settings`, `person` -> `people`). The `pluralize` library is
 * applied only where the regular rule gave a word that is not English: a word
 * already plural or uncountable (`settings`, `data`, `media`, `series`), an
 * irregular noun, or a plural the library cannot read back (`analysises`).
 * Everywhere else the regular rule stands, so tables generated before keep
 * their names (a renamed table is a new table on every device).
 */
export function pluralize(word: string): string {
  const cut = word.lastIndexOf('_') + 1;
  const head = word.slice(0, cut);
  const last = word.slice(cut);
  const lower = last.toLowerCase();
  const regular = regularPlural(last);
  if (SINGULAR_IN_S.has(lower) || lower === '') return head + regular;
  const library = pluralizeLibrary.plural(last);
  const takeLibrary = library === last || IRREGULAR.has(lower) || pluralizeLibrary.singular(regular).toLowerCase() !== lower;
  return head + (takeLibrary ? library : regular);
}

/** Default local table of an entity: snake_case plural (`TaskItem` -> `task_items`). */
export function tableName(entity: string): string {
  return pluralize(snakeCase(entity));
}

/** `TaskItem` -> `taskItem`: Prisma Client delegates, GraphQL fields, generated properties. */
export function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

export function upperFirst(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** `LAST_WRITE_WINS` -> `lastWriteWins` (GraphQL enum values to the IR vocabulary). */
export function camelFromConstant(value: string): string {
  return value.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

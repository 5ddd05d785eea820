/** Naming conventions shared by every target. */

/** `viewCount` -> `view_count`, `HTTPRequest` -> `http_request`. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[-\s]+/g, '_')
    .toLowerCase();
}

/** English plural of the last word, enough for table names (`category` -> `categories`). */
export function pluralize(word: string): string {
  if (/[^aeiou]y$/i.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/i.test(word)) return `${word}es`;
  return `${word}s`;
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

/**
 * PostgreSQL type of a Prisma native type attribute (`@db.Uuid` -> `uuid`,
 * `@db.Timestamptz(6)` -> `timestamptz(6)`): the server's set-based SQL casts
 * its parameters to the column's real type (runtime/server/sql.ts `pgType`),
 * since PostgreSQL has no implicit cast from text to uuid and friends.
 * Names follow Prisma's PostgreSQL native types; unknown ones are lowercased.
 */
const SPELLED: Record<string, string> = {
  DoublePrecision: 'double precision',
  ByteA: 'bytea',
  JsonB: 'jsonb',
  VarBit: 'varbit',
  Timestamptz: 'timestamptz',
  Timetz: 'timetz',
};

export function postgresType(nativeType: string): string {
  const match = /^(\w+)(\(.*\))?$/.exec(nativeType);
  if (!match) return nativeType.toLowerCase();
  const [, name, args] = match;
  return `${SPELLED[name!] ?? name!.toLowerCase()}${args ? args.replace(/\s+/g, '') : ''}`;
}

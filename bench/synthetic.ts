/**
 * A synthetic schema of N synced models, described both in Prisma and in SDL
 * (the same entities), for the generator benchmark.
 */

const TYPES = [
  ['String', 'String'],
  ['Int', 'Int'],
  ['Float', 'Float'],
  ['Boolean', 'Boolean'],
  ['DateTime', 'DateTime'],
  ['Json', 'JSON'],
  ['Decimal', 'Decimal'],
  ['BigInt', 'BigInt'],
] as const;

const name = (i: number) => `Entity${String(i).padStart(3, '0')}`;

export function syntheticPrisma(models: number, generatorBlock = ''): string {
  const out = [`datasource db {\n  provider = "postgresql"\n}\n`, generatorBlock, `enum E_COMMON_STATUS {\n  ACTIVE\n  INACTIVE\n  PUBLIC\n}\n`];
  for (let i = 0; i < models; i++) {
    const lines = [
      `/// @sync(strategy: ${['lastWriteWins', 'serverMerge', 'manual'][i % 3]})`,
      `model ${name(i)} {`,
      '  id           String           @id @default(uuid())',
      '  clientId     String?          @unique',
      '  version      Int              @default(1)',
      '  updatedAt    DateTime?        @updatedAt',
      '  deletedAt    DateTime?',
      '  status       E_COMMON_STATUS?',
      '  tenantId     String?',
      '  createdAt    DateTime?        @default(now())',
    ];
    for (const [f, [prisma]] of TYPES.entries()) lines.push(`  field${f} ${prisma}${f % 2 ? '?' : ''}`);
    // A merge rule only where it takes effect (serverMerge); elsewhere it is warning TS120.
    lines.push(...(i % 3 === 1 ? ['  /// @sync.merge(counter)'] : []), '  counter Int @default(0)');
    if (i > 0) lines.push(`  parentId String?`, `  parent ${name(i - 1)}? @relation(fields: [parentId], references: [id])`);
    if (i < models - 1) lines.push(`  children ${name(i + 1)}[]`);
    lines.push('  @@index([tenantId, updatedAt, id])', '}', '');
    out.push(lines.join('\n'));
  }
  return out.join('\n');
}

/**
 * The same entities in SDL. `declareBase` writes the base fields out (and
 * prepends the directive file) for tools that validate `implements`.
 */
export function syntheticSdl(models: number, directives = ''): string {
  const base = directives
    ? `  clientId: String\n  version: Int!\n  updatedAt: DateTime\n  deletedAt: DateTime\n  status: E_COMMON_STATUS\n  spaceId: String\n  rootSpaceId: String\n  createdAt: DateTime\n  createdBy: String\n  updatedBy: String\n  tenantId: String\n  projectId: String\n  refProjectId: String\n`
    : '';
  const out = [directives];
  for (let i = 0; i < models; i++) {
    const lines = [
      `type ${name(i)} implements CrtBaseEntity @sync(strategy: ${['LAST_WRITE_WINS', 'SERVER_MERGE', 'MANUAL'][i % 3]}) {`,
      '  id: ID!',
    ];
    if (base) lines.push(base.trimEnd());
    for (const [f, [, sdl]] of TYPES.entries()) lines.push(`  field${f}: ${sdl}${f % 2 ? '' : '!'}`);
    lines.push(`  counter: Int!${i % 3 === 1 ? ' @syncMerge(rule: COUNTER)' : ''}`);
    if (i > 0) lines.push('  parentId: String', `  parent: ${name(i - 1)}`);
    if (i < models - 1) lines.push(`  children: [${name(i + 1)}!]!`);
    lines.push('}', '');
    out.push(lines.join('\n'));
  }
  return out.join('\n');
}

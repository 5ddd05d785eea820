/**
 * A mini-app's Prisma schema through five releases, the way a team evolves
 * it. Every version is generated in turn into the same output folder, so the
 * snapshot chain grows exactly as it does in a real repository.
 */

const HEADER = 'datasource db {\n  provider = "postgresql"\n}\n\nenum Priority {\n  LOW\n  HIGH\n}\n';

const BASE = `  id        String    @id @default(uuid())
  clientId  String?   @unique
  version   Int       @default(1)
  updatedAt DateTime? @updatedAt
  deletedAt DateTime?
  tenantId  String?
`;

function model(name: string, fields: string): string {
  return `/// @sync\nmodel ${name} {\n${BASE}${fields}}\n`;
}

const projectV1 = `  name      String
  budget    Float?
  active    Boolean   @default(true)
  startsAt  DateTime?
  meta      Json?
  big       BigInt?
  priority  Priority  @default(LOW)
`;
const taskV1 = `  title     String
  count     Int       @default(0)
  note      String?
`;
/** v2 (N+1): new entity, new optional and required columns, a new index on an existing column. */
const taskV2 = `  /// @sync.index
  title     String
  count     Int       @default(0)
  note      String?
  due       DateTime?
  score     Float     @default(0)
  flag      Boolean   @default(false)
  label     String    @default("")
`;
const label = `  name      String
`;
/** v3: an indexed required column and an optional one on an old table. */
const projectV3 = `${projectV1}  /// @sync.index
  code      String    @default("")
  color     String?
`;
/** v4: another entity, and a column on the entity v2 added. */
const labelV4 = `  name      String
  hue       Int?
`;
const comment = `  body      String
  /// @sync.index
  taskId    String?
`;
/** v5: destructive: Task.note is dropped. */
const taskV5 = taskV2.replace('  note      String?\n', '');

export const SCHEMAS: readonly string[] = [
  HEADER + model('Project', projectV1) + model('Task', taskV1),
  HEADER + model('Project', projectV1) + model('Task', taskV2) + model('Label', label),
  HEADER + model('Project', projectV3) + model('Task', taskV2) + model('Label', label),
  HEADER + model('Project', projectV3) + model('Task', taskV2) + model('Label', labelV4) + model('Comment', comment),
  HEADER + model('Project', projectV3) + model('Task', taskV5) + model('Label', labelV4) + model('Comment', comment),
];

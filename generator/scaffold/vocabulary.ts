import { readFileSync } from 'node:fs';
import { OPERATION_TABLE } from '../../runtime/server/push/write';
import { COUNTER_TABLE } from '../../runtime/server/sequence';
import { REQUIRED_BASE_FIELDS } from '../ir/types';
import { packagePath } from '../packageRoot';
import { SEQUENCE_FIELD } from '../targets/server/fieldAccess';
import { scanPrisma, type FieldLine } from './prismaText';

/**
 * The shipped annotation files (schema/), read once: the single source of
 * truth for the base fields, the status enum and the server's support models
 * that init, add-entity and doctor write into user schemas.
 */

export const SCHEMA_DIR = packagePath('schema/');
export const BASE_FIELDS_FILE = `${SCHEMA_DIR}base-fields.prisma`;
export const DIRECTIVES_FILE = `${SCHEMA_DIR}directives.graphql`;
export const SUPPORT_MODELS_FILE = `${SCHEMA_DIR}sync-models.prisma`;

/**
 * The Prisma model that dedupes replayed push operations (docs/PROTOCOL.md "Push": "a replayed
 * operation returns its original result without writing again"): the table
 * the server runtime writes its replay log to.
 */
export const DEDUPE_MODEL_NAME = OPERATION_TABLE;
/** Models the server runtime reads and writes besides the entities. */
export const SUPPORT_MODEL_NAMES = [OPERATION_TABLE, COUNTER_TABLE] as const;
export const STATUS_ENUM_NAME = 'E_COMMON_STATUS';

/** The per-row change sequence the server's pull reads (runtime/server/core.ts asks for exactly this). */
export const SEQUENCE_DOCS = ['/// Change sequence of the sync API (trackhub-sync): server-only.', '/// @sync.ignore'];
export const SEQUENCE_FIELD_LINE = { name: SEQUENCE_FIELD, type: 'BigInt', rest: '@default(0)' };

export interface PrismaVocabulary {
  /** Every base field line of CrtBaseEntity, in order. */
  baseFields: FieldLine[];
  /** The `enum E_COMMON_STATUS { … }` block. */
  statusEnum: string;
  /** Each support model's text (doc comment included), by model name. */
  supportModels: Map<string, string>;
}

let cached: PrismaVocabulary | undefined;

export function prismaVocabulary(): PrismaVocabulary {
  if (cached) return cached;
  const text = readFileSync(BASE_FIELDS_FILE, 'utf8');
  const blocks = scanPrisma(BASE_FIELDS_FILE, text);
  const base = blocks.find((b) => b.keyword === 'model' && b.name === 'CrtBaseEntity')!;
  const statusEnum = blocks.find((b) => b.keyword === 'enum' && b.name === STATUS_ENUM_NAME)!;
  const supportText = readFileSync(SUPPORT_MODELS_FILE, 'utf8');
  const supportBlocks = scanPrisma(SUPPORT_MODELS_FILE, supportText);
  const supportModels = new Map<string, string>();
  for (const name of SUPPORT_MODEL_NAMES) {
    // The shipped models must be the tables the server runtime uses.
    const block = supportBlocks.find((b) => b.keyword === 'model' && b.name === name);
    if (!block) throw new Error(`schema/sync-models.prisma does not declare model ${name} (runtime/server)`);
    supportModels.set(name, supportText.slice(block.start, block.end));
  }
  cached = { baseFields: base.fields, statusEnum: text.slice(statusEnum.start, statusEnum.end), supportModels };
  return cached;
}

/** Base fields a synced entity must have, plus its scope field (the index leads with it). */
export function requiredPrismaFields(scope: string): FieldLine[] {
  const wanted = new Set<string>([...REQUIRED_BASE_FIELDS, scope]);
  return prismaVocabulary().baseFields.filter((f) => wanted.has(f.name));
}

/** The fields of the conventional pull index, in order: (scope, updatedAt, id). */
export function syncIndexFields(scope: string): string[] {
  return [scope, 'updatedAt', 'id'];
}

/** The fields of the change-sequence index the server's pull scans: (scope, syncSeq). */
export function sequenceIndexFields(scope: string): string[] {
  return [scope, SEQUENCE_FIELD];
}

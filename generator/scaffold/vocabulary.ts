import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OPERATION_TABLE } from '../../runtime/server/push/write';
import { REQUIRED_BASE_FIELDS } from '../ir/types';
import { scanPrisma, type FieldLine } from './prismaText';

/**
 * The shipped annotation files (schema/), read once: the single source of
 * truth for the base fields, the status enum and the operation-log model that
 * init, add-entity and doctor write into user schemas.
 */

export const SCHEMA_DIR = fileURLToPath(new URL('../../schema/', import.meta.url));
export const BASE_FIELDS_FILE = `${SCHEMA_DIR}base-fields.prisma`;
export const DIRECTIVES_FILE = `${SCHEMA_DIR}directives.graphql`;
export const OPERATION_LOG_FILE = `${SCHEMA_DIR}sync-operations.prisma`;

/**
 * The Prisma model that dedupes replayed push operations (SPEC §4: "a replayed
 * operation returns its original result without writing again"): the table
 * the server runtime writes its replay log to.
 */
export const DEDUPE_MODEL_NAME = OPERATION_TABLE;
export const STATUS_ENUM_NAME = 'E_COMMON_STATUS';

export interface PrismaVocabulary {
  /** Every base field line of CrtBaseEntity, in order. */
  baseFields: FieldLine[];
  /** The `enum E_COMMON_STATUS { … }` block. */
  statusEnum: string;
  /** The operation-log model block (with its doc comment). */
  operationLogModel: string;
}

let cached: PrismaVocabulary | undefined;

export function prismaVocabulary(): PrismaVocabulary {
  if (cached) return cached;
  const text = readFileSync(BASE_FIELDS_FILE, 'utf8');
  const blocks = scanPrisma(BASE_FIELDS_FILE, text);
  const base = blocks.find((b) => b.keyword === 'model' && b.name === 'CrtBaseEntity')!;
  const statusEnum = blocks.find((b) => b.keyword === 'enum' && b.name === STATUS_ENUM_NAME)!;
  const enumStart = text.indexOf(`enum ${STATUS_ENUM_NAME}`);
  const logText = readFileSync(OPERATION_LOG_FILE, 'utf8');
  // The shipped model must be the table the server runtime writes to.
  if (!scanPrisma(OPERATION_LOG_FILE, logText).some((b) => b.keyword === 'model' && b.name === DEDUPE_MODEL_NAME)) {
    throw new Error(`schema/sync-operations.prisma does not declare model ${DEDUPE_MODEL_NAME} (runtime/server OPERATION_TABLE)`);
  }
  cached = {
    baseFields: base.fields,
    statusEnum: text.slice(enumStart, statusEnum.end),
    operationLogModel: logText.slice(logText.indexOf(`model ${DEDUPE_MODEL_NAME}`)).trimEnd(),
  };
  return cached;
}

/** Base fields a synced entity must have, plus its scope field (the index leads with it). */
export function requiredPrismaFields(scope: string): FieldLine[] {
  const wanted = new Set<string>([...REQUIRED_BASE_FIELDS, scope]);
  return prismaVocabulary().baseFields.filter((f) => wanted.has(f.name));
}

/** The fields of the pull index, in order: (scope, updatedAt, id) (SPEC §4 pull cursor). */
export function syncIndexFields(scope: string): string[] {
  return [scope, 'updatedAt', 'id'];
}

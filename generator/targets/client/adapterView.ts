import { Imports } from '../../emit/imports';
import type { IrEntity } from '../../ir/types';
import { mapField } from '../watermelon/index';
import { metaFields, metaName, pushMode } from './metaView';

export interface AdapterView {
  entity: string;
  imports: string[];
  writable: boolean;
  inputFields: string[];
  patchFields: string[];
  meta: string;
  strategy: string;
}

/** Everything the adapter template prints for one entity, decided here. */
export function adapterView(entity: IrEntity, runtimeImport: string): AdapterView {
  const writable = entity.direction !== 'pullOnly';
  const enums = new Set<string>();
  let json = false;
  const inputFields: string[] = [];
  const patchFields: string[] = [];
  if (writable) {
    for (const field of metaFields(entity)) {
      const mode = pushMode(entity, field);
      if (mode === 'never') continue;
      const m = mapField(field);
      if (field.type.kind === 'enum') enums.add(field.type.enum);
      if (m.tsType.includes('JsonValue')) json = true;
      const nullable = field.isRequired ? '' : ' | null';
      const optional = !field.isRequired || field.default !== null || field.isList ? '?' : '';
      inputFields.push(`${field.name}${optional}: ${m.tsType}${nullable};`);
      if (mode === 'always') patchFields.push(`${field.name}?: ${m.tsType}${nullable};`);
    }
  }
  const imports = new Imports()
    .add(`${runtimeImport}/client`, writable ? 'WritableSyncAdapter' : 'SyncAdapter')
    .addType(`${runtimeImport}/client`, 'AdapterContext')
    .addType(`${runtimeImport}/watermelon`, json ? ['JsonValue'] : [])
    .addType('../watermelon/enums', [...enums])
    .addType(`../watermelon/models/${entity.name}`, entity.name)
    .add('./registry', metaName(entity))
    .lines();
  return { entity: entity.name, imports, writable, inputFields, patchFields, meta: metaName(entity), strategy: entity.strategy };
}

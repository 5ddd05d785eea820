import { MERGE_RULE_TABLE, wireEqual } from '../../protocol/index';
import type { WireRecord } from './mapping';
import type { EntityMeta, FieldMeta } from './meta';

/** A queued change of the record: what its fields were before (`base`) and are now (`payload`). */
export interface QueuedChange {
  payload: WireRecord;
  base: WireRecord | null;
}

export interface MergeInput {
  meta: EntityMeta;
  /** The newest server record the device knows. */
  server: WireRecord;
  /** The server's suggestion, when it was made against that record (null when a pull brought a newer one). */
  suggested: WireRecord | null;
  /** The local record when the conflict was stored. */
  localData: WireRecord;
  /** The refused entry: the refused change, plus the edits folded into it since the refusal. */
  refused: QueuedChange;
  /** Entries of the record queued behind the refused one (made while it was in flight), oldest first. */
  later: QueuedChange[];
  /** The app's values, on top of everything. */
  data: WireRecord;
}

/**
 * The record a `merge` resolution pushes (docs/PROTOCOL.md "Conflicts"): the
 * server's suggestion, then every local edit the suggestion does not hold,
 * then `data`. The suggestion holds the refused change only: edits folded
 * into the refused entry after the refusal, and entries queued behind it
 * while it was in flight, are re-applied on top. When no fresh suggestion
 * exists, the refused change is re-applied to the newest server record too.
 *
 * A local edit is re-applied as the server would merge it: a field whose rule
 * combines both sides (`counter`, `append`, `union`, `max`, `min`) by that
 * rule against the edit's own base, so increments, appends and additions made
 * elsewhere are kept and the device's are counted once; any other field takes
 * the local value (the person resolving keeps their edit unless `data` says
 * otherwise).
 */
export function mergedRecord(input: MergeInput): WireRecord {
  const { meta, suggested, localData, refused, later } = input;
  const target: WireRecord = { ...input.server, ...(suggested ?? {}) };
  const fields = new Map(meta.fields.map((f) => [f.name, f]));
  const reapply = (name: string, base: unknown, value: unknown) => {
    const field = fields.get(name);
    if (field) target[name] = reapplied(field, target[name] ?? null, base ?? null, value ?? null);
  };
  // Fields edited in a later entry: the local record at the refusal held those edits too.
  const inLater = new Set(later.flatMap((change) => Object.keys(change.payload)));
  for (const [name, value] of Object.entries(refused.payload)) {
    if (!suggested) reapply(name, refused.base?.[name], value);
    else if (!inLater.has(name) && !wireEqual(value ?? null, localData[name] ?? null)) reapply(name, localData[name], value);
  }
  for (const change of later) {
    for (const [name, value] of Object.entries(change.payload)) reapply(name, change.base?.[name], value);
  }
  return { ...target, ...input.data };
}

/** `value` (edited from `base`) applied onto `current` by the field's rule; the local value when the rule keeps one side. */
function reapplied(field: FieldMeta, current: unknown, base: unknown, value: unknown): unknown {
  const rule = field.merge?.rule;
  if (!rule || rule === 'lww' || rule === 'manual') return value;
  const outcome = MERGE_RULE_TABLE[rule].merge(
    current,
    base,
    value,
    { scalar: field.merge!.scalar, isList: field.list === true },
    { clientLater: true },
  );
  return outcome.kind === 'value' ? outcome.value : value;
}

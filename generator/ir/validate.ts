import { MERGING_STRATEGIES, isOneOf } from '../../protocol/index';
import { DiagnosticCode, diagnostic, type Diagnostic } from '../diagnostics';
import { checkReservedNames } from './reservedNames';
import type { Ir } from './types';

/**
 * Rules that look across fields and entities, after each entity is built and
 * before any target validates (targets check what their output needs).
 */
export function validateIr(ir: Ir): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const entity of ir.entities) {
    if (isOneOf(MERGING_STRATEGIES, entity.strategy)) continue;
    for (const field of entity.fields) {
      if (field.merge === 'lww') continue;
      // Only serverMerge merges per field (docs/PROTOCOL.md "Conflicts"); elsewhere the rule would silently do nothing.
      out.push(
        diagnostic(
          DiagnosticCode.mergeRuleUnused,
          field.location,
          `model ${entity.name} › field ${field.name}: merge rule '${field.merge}' has no effect under strategy ${entity.strategy}`,
          `Under ${entity.strategy} the whole record is resolved at once. Use @sync(strategy: serverMerge) on ${entity.name} to merge this field, or remove @sync.merge(${field.merge}).`,
          'warning',
        ),
      );
    }
  }
  out.push(...checkReservedNames(ir));
  return out;
}

import type { AuthorizeFn } from './types';

/**
 * The default authorization: tenant isolation. A record is visible and
 * writable only when its scope field (`tenantId` by default) is the caller's
 * tenant. Apps wrap it to add their own rules:
 *
 * ```ts
 * authorize: (auth, entity, op, record) => tenantIsolation(auth, entity, op, record) && myRule(auth, record)
 * ```
 */
export const tenantIsolation: AuthorizeFn = (auth, entity, _op, record) => record[entity.scope] === auth.tenantId;

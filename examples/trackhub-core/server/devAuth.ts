import type { SyncAuth } from 'trackhub-sync/runtime/server';

/**
 * DEVELOPMENT AUTHENTICATOR — NOT FOR PRODUCTION. It trusts
 * `Authorization: Bearer dev:<tenantId>:<userId>` without any check, so
 * anyone can claim any tenant. Replace it with the app's own authentication
 * (a verified token whose claims give the tenant and user).
 */
export function devAuthenticator(request: Request): SyncAuth | null {
  const match = /^Bearer dev:([^:\s]+):([^:\s]+)$/.exec(request.headers.get('authorization') ?? '');
  return match ? { tenantId: match[1]!, userId: match[2]! } : null;
}

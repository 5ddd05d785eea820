import type { WireRecord } from '../runtime/client/index';

/**
 * The `i`-th example Space as a pull delivers it (server id `srv-<i>`, zero
 * padded to `idWidth` digits), shared by the apply and first-sync benchmarks.
 */
export function pulledSpace(i: number, idWidth: number): WireRecord {
  return {
    id: `srv-${String(i).padStart(idWidth, '0')}`,
    clientId: null,
    version: 1,
    updatedAt: new Date(1_700_000_000_000 + i).toISOString(),
    deletedAt: null,
    status: 'ACTIVE',
    spaceId: null,
    rootSpaceId: null,
    createdAt: new Date(1_700_000_000_000).toISOString(),
    createdBy: 'u1',
    updatedBy: 'u1',
    tenantId: 't1',
    projectId: null,
    refProjectId: null,
    name: `Space ${i}`,
    description: i % 2 ? 'a description of moderate length' : null,
    viewCount: i,
    memberCount: 3,
    settings: { theme: 'dark', n: i },
  };
}

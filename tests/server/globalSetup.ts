import { ensurePrismaClients } from '../../examples/trackhub-core/server/prepare';

/** The example's Prisma Clients are build output: generate them once before any test file runs. */
export function setup(): void {
  ensurePrismaClients();
}

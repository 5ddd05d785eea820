import type { ModelDelegate, PrismaLike, PrismaTx, SyncEntityDescriptor } from './types';

/** The Prisma Client model delegate of an entity (`prisma.space`), inside or outside a transaction. */
export function delegateOf(client: PrismaTx | PrismaLike, entity: SyncEntityDescriptor): ModelDelegate {
  const delegate = (client as unknown as Record<string, ModelDelegate | undefined>)[entity.delegate];
  if (!delegate) throw new Error(`Prisma Client has no model delegate '${entity.delegate}' for entity ${entity.name}`);
  return delegate;
}

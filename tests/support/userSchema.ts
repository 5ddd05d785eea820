/** A team's own Prisma schema before trackhub-sync touches it (its own formatting kept byte for byte by init and add-entity). */
export const USER_PRISMA = `// The team's own schema, with its own formatting.
datasource db {
    provider = "postgresql"
}

model   User {
  id    Int     @id   @default(autoincrement())
  email String  @unique
}
`;

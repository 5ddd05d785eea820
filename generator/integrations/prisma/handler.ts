import helper from '@prisma/generator-helper';
import { DEFAULT_PRISMA_OUTPUT, prismaGenerate } from './onGenerate';

// Prisma talks to a generator over JSON-RPC on stdin/stderr, so nothing here
// may print: errors are thrown and Prisma shows their message.
// The package is CommonJS; from ESM its exports sit on the default import.
helper.generatorHandler({
  onManifest: () => ({ prettyName: 'trackhub-sync', defaultOutput: DEFAULT_PRISMA_OUTPUT }),
  onGenerate: async (options) => {
    await prismaGenerate(options);
  },
});

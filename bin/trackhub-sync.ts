import { Command } from 'commander';
import { generateCommand, type CommandIo } from '../generator/cli/generateCommand';
import { irCommand } from '../generator/cli/irCommand';

const io: CommandIo = {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
  cwd: process.cwd(),
};

const collect = (value: string, previous: string[] = []) => [...previous, value];

const program = new Command('trackhub-sync')
  .description('Generate an offline-first sync layer from annotated Prisma / GraphQL schemas.')
  .showHelpAfterError()
  // Usage errors are bad input (exit 2); --help and --version exit 0. Set
  // before the subcommands are added so that they inherit it.
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));

program
  .command('generate')
  .description('Write the generated code (or compare it with --check)')
  .option('--config <file>', 'config file (default: trackhub-sync.config.{ts,mjs,json})')
  .option('--schema <path>', 'Prisma file, folder of Prisma files, or .graphql file (repeatable)', collect)
  .option('--proto <path>', '.proto file or folder to update (repeatable)', collect)
  .option('--out <dir>', 'output folder (default: generated)')
  .option('--check', 'exit 1 and print a diff if anything is stale')
  .option('--dry-run', 'show what would change; write nothing')
  .option('--allow-destructive', 'allow destructive local migrations')
  .option('--json', 'machine-readable report')
  .action(async (flags) => {
    process.exitCode = await generateCommand(flags, io);
  });

program
  .command('ir')
  .description('Print the intermediate representation')
  .option('--config <file>', 'config file')
  .option('--schema <path>', 'schema input (repeatable)', collect)
  .option('--json', 'print the IR as JSON')
  .action(async (flags) => {
    process.exitCode = await irCommand(flags, io);
  });

await program.parseAsync(process.argv);

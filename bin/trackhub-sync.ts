import { Command } from 'commander';
import { generateCommand, type CommandIo } from '../generator/cli/generateCommand';
import { irCommand } from '../generator/cli/irCommand';
import { addEntityCommand } from '../generator/cli/addEntityCommand';
import { doctorCommand } from '../generator/cli/doctorCommand';
import { initCommand } from '../generator/cli/initCommand';
import { colorEnabled, type TerminalIo } from '../generator/cli/output';
import { packageVersion } from '../generator/packageRoot';

const color = colorEnabled({ isTTY: process.stdout.isTTY, env: process.env });
const io: CommandIo & TerminalIo = {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
  cwd: process.cwd(),
  color,
  ...(process.stderr.isTTY ? { progress: (text: string) => process.stderr.write(text) } : {}),
};

const collect = (value: string, previous: string[] = []) => [...previous, value];

const program = new Command('trackhub-sync')
  .description('Generate an offline-first sync layer from annotated Prisma / GraphQL schemas.')
  .version(packageVersion())
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
  .option('--allow-foreign', 'write beside files trackhub-sync did not write in the output folder (never touching them)')
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

program
  .command('init')
  .description('Scaffold a config, the annotation files and a first synced entity (Prisma or GraphQL, detected)')
  .option('--schema <path>', 'schema to annotate (default: detected)')
  .option('--type <kind>', 'schema language when the project has none yet: prisma (default) or graphql')
  .option('--entity <name>', 'name of the first entity (default: Note)')
  .option('--strategy <strategy>', 'lastWriteWins (default), serverMerge or manual')
  .option('--fields <list>', 'fields of the first entity, e.g. "title:String body:String?"')
  .option('--skip-entity', 'leave the schema alone')
  .option('--out <dir>', 'output folder written to the new config (default: generated)')
  .option('--json', 'machine-readable report')
  .action(async (flags) => {
    process.exitCode = await initCommand(flags, io);
  });

program
  .command('add-entity')
  .description('Add an annotated entity with all base fields to the schema, then regenerate')
  .argument('<name>', 'entity name (PascalCase)')
  .option('--strategy <strategy>', 'lastWriteWins (default), serverMerge or manual')
  .option('--fields <list>', 'fields, e.g. "title:String done:Boolean dueAt:DateTime? tags:String[]"')
  .option('--schema <path>', "schema to edit (default: the config's, else detected)")
  .option('--config <file>', 'config file')
  .option('--no-generate', 'only edit the schema')
  .option('--json', 'machine-readable report')
  .action(async (name: string, flags) => {
    process.exitCode = await addEntityCommand(name, flags, io);
  });

program
  .command('doctor')
  .description('Check schemas against the conventions; --fix adds what is missing to Prisma schemas')
  .option('--fix', 'insert missing base fields, indexes, @unique and the operation log')
  .option('--config <file>', 'config file')
  .option('--schema <path>', 'schema input (repeatable)', collect)
  .option('--json', 'machine-readable report')
  .action(async (flags) => {
    process.exitCode = await doctorCommand(flags, io);
  });

// Not a top-level await: the published bin runs this module as one CommonJS bundle (bin/main.ts).
void program.parseAsync(process.argv);

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveConfig } from '../generator/config';
import { loadIr } from '../generator/pipeline';
import { readProtoInputs } from '../generator/readers/proto/readProtoInputs';
import { generateProto } from '../generator/targets/proto/generate';
import { distBin, sample, stats, type BenchModule } from './support';
import { syntheticSdl } from './synthetic';

// The proto target on a 200-model schema and 200 existing messages spread
// over 20 .proto files (reserved ranges, oneofs, nested messages, maps,
// comments): reading + parsing + editing + sync.proto in process, and the
// whole `generate --proto --dry-run` process (the compiled bin, as users run
// it; built first when missing), beside `buf build` of the same files (buf
// only compiles them) in the same run.

const MODELS = Number(process.env.BENCH_MODELS ?? 200);
const FILES = 20;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const repo = fileURLToPath(new URL('..', import.meta.url));

const entity = (i: number) => `Entity${String(i).padStart(3, '0')}`;

function protoFile(index: number, perFile: number): string {
  const out = [
    '// Synthetic messages for the proto benchmark.',
    'syntax = "proto3";',
    '',
    'package bench.v1;',
    '',
    'import "google/protobuf/timestamp.proto";',
    '',
  ];
  for (let m = index * perFile; m < (index + 1) * perFile && m < MODELS; m++) {
    out.push(
      `// ${entity(m)}: fields 4 and 9 to 11 retired.`,
      `message ${entity(m)} {`,
      '  reserved 4, 9 to 11;',
      '  reserved "legacy";',
      '  string id = 1;',
      '  string name = 2 [deprecated = true]; // trailing }',
      '  message Detail {',
      '    string text = 1;',
      '    int32 weight = 2;',
      '  }',
      '  Detail detail = 3;',
      '  oneof when {',
      '    google.protobuf.Timestamp at = 5;',
      '    string rule = 6;',
      '  }',
      '  map<string, string> attributes = 7;',
      '  repeated Detail details = 8;',
      '  google.protobuf.Timestamp created_at = 12;',
      '}',
      '',
    );
  }
  return out.join('\n');
}

function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
}

const bench: BenchModule = {
  title: `proto target: ${MODELS} entities, ${MODELS} messages in ${FILES} files (${RUNS} process runs)`,
  async run() {
    mkdirSync(join(repo, '.tmp'), { recursive: true });
    const dir = mkdtempSync(join(repo, '.tmp', 'bench-proto-'));
    try {
      writeFileSync(join(dir, 'schema.graphql'), syntheticSdl(MODELS));
      mkdirSync(join(dir, 'protos/bench/v1'), { recursive: true });
      const perFile = Math.ceil(MODELS / FILES);
      for (let f = 0; f < FILES; f++) writeFileSync(join(dir, `protos/bench/v1/file${String(f).padStart(2, '0')}.proto`), protoFile(f, perFile));
      writeFileSync(join(dir, 'buf.yaml'), 'version: v2\nmodules:\n  - path: protos\n');
      writeFileSync(
        join(dir, 'trackhub-sync.config.json'),
        JSON.stringify({ schema: 'schema.graphql', targets: { watermelon: false, client: false, server: false }, proto: { files: ['protos'] } }),
      );

      const config = await resolveConfig({}, dir);
      const { ir } = loadIr(config);
      let edited = 0;
      const inProcess = stats(
        await sample(RUNS * 4, () => {
          const protos = readProtoInputs(config.proto.files, config.baseDir, config.out).facts;
          edited = generateProto({ ir, config, protos, previousSyncProto: null }).length - 1;
        }),
      );
      const cli = distBin('trackhub-sync');
      const withProto = stats(await sample(RUNS, () => run(process.execPath, [cli, 'generate', '--dry-run'], dir)));
      const buf = stats(await sample(RUNS, () => run(join(repo, 'node_modules/.bin/buf'), ['build', '-o', '/dev/null'], dir)));
      return [
        {
          case: `read + parse + edit ${edited} files + sync.proto (in process)`,
          ours: inProcess.text,
          baseline: `buf build, same files: ${buf.text}`,
          note: 'buf compiles only',
        },
        {
          case: 'generate --proto --dry-run (whole process, dist bin)',
          ours: withProto.text,
          baseline: `buf build: ${buf.text}`,
          note: 'target: < 2 s',
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buf } from '../proto/support/buf';
import { appFolder, run } from './support';

// README "Proto": the proto target from the packed tarball, in a project
// scaffolded by `init`, on a .proto file of the user's; buf (as a team has
// it) builds and lints what it wrote.

const NOTE_PROTO = [
  '// Notes of the app.',
  'syntax = "proto3";',
  '',
  'package app.v1;',
  '',
  'import "google/protobuf/timestamp.proto";',
  '',
  'message Note {',
  '  reserved 3;',
  '  string id = 1;',
  '  string title = 2; // what the note says',
  '}',
  '',
].join('\n');

describe('the proto target from the packed tarball', () => {
  it("adds the sync fields to the entity's message and writes sync.proto; buf builds both; a second run changes nothing", () => {
    const dir = appFolder('proto');
    const init = run('npx', ['trackhub-sync', 'init'], dir);
    expect(init.status, init.output).toBe(0);
    const note = join(dir, 'proto/app/v1/note.proto');
    mkdirSync(join(dir, 'proto/app/v1'), { recursive: true });
    writeFileSync(note, NOTE_PROTO);

    const generate = run('npx', ['trackhub-sync', 'generate', '--proto', 'proto/'], dir);
    expect(generate.status, generate.output).toBe(0);
    const edited = readFileSync(note, 'utf8');
    // Edited, not rewritten: every byte up to the message's closing brace is the user's.
    expect(edited.startsWith(NOTE_PROTO.slice(0, NOTE_PROTO.lastIndexOf('}')))).toBe(true);
    // Numbered above every number in use, the reserved one included.
    expect(edited).toMatch(/^ {2}string client_id = 4;$/m);
    expect(edited).toMatch(/^ {2}int32 version = 5;$/m);
    expect(edited).toMatch(/^ {2}google\.protobuf\.Timestamp updated_at = 6;$/m);
    expect(edited).toMatch(/^ {2}google\.protobuf\.Timestamp deleted_at = 7;$/m);
    const syncProto = readFileSync(join(dir, 'generated/proto/trackhub/sync/v1/sync.proto'), 'utf8');
    expect(syncProto).toMatch(/^service SyncService \{$/m);
    expect(syncProto).toMatch(/^message SyncPullNoteResponse \{$/m);

    writeFileSync(join(dir, 'buf.yaml'), 'version: v2\nmodules:\n  - path: proto\n  - path: generated/proto\n');
    expect(buf(['build', '-o', '/dev/null'], dir)).toEqual({ status: 0, output: '' });
    expect(buf(['lint', 'generated/proto'], dir)).toEqual({ status: 0, output: '' });

    const again = run('npx', ['trackhub-sync', 'generate', '--proto', 'proto/'], dir);
    expect(again.status, again.output).toBe(0);
    expect(readFileSync(note, 'utf8')).toBe(edited);
    const check = run('npx', ['trackhub-sync', 'generate', '--proto', 'proto/', '--check'], dir);
    expect(check.status, check.output).toBe(0);
  });
});

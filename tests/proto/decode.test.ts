import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyInto, writeInto } from './support/buf';
import { EDIT_CASE_PROTOS, runEditCase } from './support/protoCase';
import { loadProto } from './support/protobufRoot';

// Bytes written by a service still on the old .proto must decode with the
// new one (and the other way round) with every value intact.
describe('wire compatibility of edited messages (protobufjs)', () => {
  const dirs: string[] = [];
  let oldRoot: protobuf.Root;
  let newRoot: protobuf.Root;

  beforeAll(async () => {
    const run = await runEditCase();
    const before = mkdtempSync(join(tmpdir(), 'trackhub-proto-old-'));
    const after = mkdtempSync(join(tmpdir(), 'trackhub-proto-new-'));
    dirs.push(before, after);
    copyInto(before, EDIT_CASE_PROTOS);
    copyInto(after, EDIT_CASE_PROTOS);
    writeInto(after, run.edited);
    oldRoot = loadProto(join(before, 'acme/tasks/v1/task.proto'));
    newRoot = loadProto(join(after, 'acme/tasks/v1/task.proto'));
  });
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const oldTask = {
    id: 't1',
    title: 'Write the report',
    priority: 2,
    checklist: {
      items: [
        { text: 'outline', done: true },
        { text: 'draft', done: false },
      ],
    },
    recurrence: 'weekly',
    attributes: { color: 'red', area: 'ops' },
    named_items: { first: { text: 'outline', done: true } },
    created_at: { seconds: 1_700_000_000, nanos: 5 },
  };

  it('a Task encoded with the old definition decodes with the new one, unchanged', () => {
    const OldTask = oldRoot.lookupType('acme.tasks.v1.Task');
    const NewTask = newRoot.lookupType('acme.tasks.v1.Task');
    const bytes = OldTask.encode(OldTask.fromObject(oldTask)).finish();
    const decoded = NewTask.toObject(NewTask.decode(bytes), { longs: Number, oneofs: true });
    expect(decoded).toEqual({ ...oldTask, schedule: 'recurrence' });
    // The sync fields are simply absent in old data.
    expect(decoded).not.toHaveProperty('client_id');
    expect(decoded).not.toHaveProperty('updated_at');
  });

  it('a Task with sync fields decodes with the old definition, old fields intact', () => {
    const OldTask = oldRoot.lookupType('acme.tasks.v1.Task');
    const NewTask = newRoot.lookupType('acme.tasks.v1.Task');
    const withSync = { ...oldTask, client_id: 'c-1', version: 3, updated_at: { seconds: 1_700_000_100, nanos: 0 } };
    const decoded = OldTask.toObject(OldTask.decode(NewTask.encode(NewTask.fromObject(withSync)).finish()), { longs: Number });
    expect(decoded).toEqual(oldTask);
  });

  it('the new fields have the numbers above every used and reserved number', () => {
    const NewTask = newRoot.lookupType('acme.tasks.v1.Task');
    const numbers = Object.fromEntries(['client_id', 'version', 'updated_at', 'deleted_at'].map((n) => [n, NewTask.fields[n]!.id]));
    expect(numbers).toEqual({ client_id: 15, version: 16, updated_at: 17, deleted_at: 18 });
    expect(NewTask.fields['updated_at']!.type).toBe('google.protobuf.Timestamp');
  });

  it('Project keeps its hand-added int64 version and gains int64 timestamps (no Timestamp import)', () => {
    const before = loadProto(join(EDIT_CASE_PROTOS, 'acme/tasks/v1/project.proto')).lookupType('acme.tasks.v1.Project');
    const Project = loadProto(join(dirs[1]!, 'acme/tasks/v1/project.proto')).lookupType('acme.tasks.v1.Project');
    const bytes = before.encode(before.fromObject({ id: 'p', name: 'n', client_id: 'c', version: 7, score: 4 })).finish();
    expect(Project.toObject(Project.decode(bytes), { longs: Number })).toEqual({ id: 'p', name: 'n', client_id: 'c', version: 7, score: 4 });
    expect([Project.fields['version']!.type, Project.fields['updated_at']!.type, Project.fields['updated_at']!.id]).toEqual(['int64', 'int64', 26]);
  });
});

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buf, bufModule, copyInto, removeModules, writeInto } from './support/buf';
import { EDIT_CASE_PROTOS, runEditCase, type ProtoRun } from './support/protoCase';

// buf is the judge of the output: the edited user files must lint (STANDARD),
// build, and be non-breaking against the originals under buf's strictest
// breaking category (FILE); sync.proto must lint and build on its own.
describe('buf on the proto target output', () => {
  let run: ProtoRun;
  let original: string;
  let edited: string;

  beforeAll(async () => {
    run = await runEditCase();
    original = bufModule();
    copyInto(original, EDIT_CASE_PROTOS);
    const built = buf(['build', '-o', 'original.binpb'], original);
    expect(built.output).toBe('');
    edited = bufModule();
    copyInto(edited, EDIT_CASE_PROTOS);
    writeInto(edited, run.edited);
  });
  afterAll(removeModules);

  it('edits the files that hold synced messages', () => {
    expect(Object.keys(run.edited).sort()).toEqual(['acme/notes/v1/note.proto', 'acme/tasks/v1/project.proto', 'acme/tasks/v1/task.proto']);
  });

  it("the original files are lint-clean, so lint findings would be the editor's", () => {
    expect(buf(['lint'], original)).toEqual({ status: 0, output: '' });
  });

  it('buf lint passes on the edited files (STANDARD, no exceptions)', () => {
    expect(buf(['lint'], edited)).toEqual({ status: 0, output: '' });
  });

  it('buf build passes on the edited files', () => {
    expect(buf(['build', '-o', 'edited.binpb'], edited)).toEqual({ status: 0, output: '' });
  });

  it('buf breaking (FILE) finds nothing against the original image', () => {
    expect(buf(['breaking', '--against', join(original, 'original.binpb')], edited)).toEqual({ status: 0, output: '' });
  });

  it('buf breaking would catch a renumbered field (the check is live)', () => {
    const broken = bufModule();
    copyInto(broken, EDIT_CASE_PROTOS);
    const task = run.edited['acme/tasks/v1/task.proto']!.replace('string title = 2', 'string title = 30');
    writeInto(broken, { 'acme/tasks/v1/task.proto': task });
    const result = buf(['breaking', '--against', join(original, 'original.binpb')], broken);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('title');
  });

  it("sync.proto sits in its package's folder and passes buf lint (STANDARD, no exceptions) and buf build", () => {
    // The output's proto/ folder is the module root: proto/trackhub/sync/v1/sync.proto.
    expect(run.syncProtoModulePath).toBe('trackhub/sync/v1/sync.proto');
    const module = bufModule();
    writeInto(module, { [run.syncProtoModulePath]: run.syncProto });
    expect(buf(['lint'], module)).toEqual({ status: 0, output: '' });
    expect(buf(['build', '-o', 'sync.binpb'], module)).toEqual({ status: 0, output: '' });
  });

  it("buf lint would catch sync.proto outside its package's folder (PACKAGE_DIRECTORY_MATCH is live)", () => {
    const module = bufModule();
    writeInto(module, { 'sync.proto': run.syncProto });
    const result = buf(['lint'], module);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('must be within a directory "trackhub/sync/v1"');
  });

  it("the bundled example's edited core.proto and generated/proto lint (STANDARD, no exceptions) and build", () => {
    const module = bufModule();
    copyInto(module, fileURLToPath(new URL('../../examples/trackhub-core/proto', import.meta.url)));
    expect(buf(['lint'], module)).toEqual({ status: 0, output: '' });
    // generated/proto as the module root, as a user would configure it.
    const sync = bufModule();
    copyInto(sync, fileURLToPath(new URL('../../examples/trackhub-core/generated/proto', import.meta.url)));
    expect(buf(['build', '-o', 'sync.binpb'], sync)).toEqual({ status: 0, output: '' });
    expect(buf(['lint'], sync)).toEqual({ status: 0, output: '' });
  });
});

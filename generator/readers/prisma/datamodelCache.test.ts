import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { datamodelCacheDirs, getDatamodel } from './datamodelCache';
import { readPrisma } from './readPrisma';

const params = (text: string) => JSON.stringify({ prismaSchema: [['schema.prisma', text]], noColor: false });
const SCHEMA = 'model Note {\n  id String @id\n  title String\n}\n';

describe('the kept answers of Prisma’s schema engine', () => {
  let dir: string;
  let asked: string[];
  const ask = (p: string) => {
    asked.push(p);
    return JSON.stringify({ answer: asked.length });
  };
  const answers = () => readdirSync(dir).filter((name) => name.endsWith('.json'));
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'trackhub-datamodel-'));
    asked = [];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('asks the engine once per request and answers the same again from the file', () => {
    const first = getDatamodel(params(SCHEMA), [dir], ask);
    expect(getDatamodel(params(SCHEMA), [dir], ask)).toEqual(first);
    expect(asked).toHaveLength(1);
    expect(answers()).toHaveLength(1);
    // Another text is another request.
    expect(getDatamodel(params(`${SCHEMA}\n`), [dir], ask)).not.toEqual(first);
    expect(asked).toHaveLength(2);
  });

  it('asks again, and replaces the file, when it is damaged or holds another key', () => {
    const first = getDatamodel(params(SCHEMA), [dir], ask);
    const file = join(dir, answers()[0]!);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.slice(0, -3), { mode: 0o600 }); // cut short: no longer JSON
    expect(getDatamodel(params(SCHEMA), [dir], ask)).not.toEqual(first);
    expect(asked).toHaveLength(2);
    writeFileSync(file, `other-key${text.slice(text.indexOf('\n'))}`, { mode: 0o600 });
    getDatamodel(params(SCHEMA), [dir], ask);
    expect(asked).toHaveLength(3);
    expect(readFileSync(file, 'utf8').split('\n')[0]).toBe(text.split('\n')[0]);
  });

  it.runIf(process.getuid?.() !== undefined)('ignores a file others may write', () => {
    getDatamodel(params(SCHEMA), [dir], ask);
    chmodSync(join(dir, answers()[0]!), 0o666);
    getDatamodel(params(SCHEMA), [dir], ask);
    expect(asked).toHaveLength(2);
  });

  it('keeps the 16 answers used last', () => {
    for (let i = 0; i < 16; i++) getDatamodel(params(`${SCHEMA}// ${i}\n`), [dir], ask);
    // All equally old but the first, used again: the next new answer drops one of the others.
    const past = new Date(Date.now() - 60_000);
    for (const name of answers()) utimesSync(join(dir, name), past, past);
    getDatamodel(params(`${SCHEMA}// 0\n`), [dir], ask);
    expect(asked).toHaveLength(16);
    getDatamodel(params(`${SCHEMA}// new\n`), [dir], ask);
    expect(answers()).toHaveLength(16);
    getDatamodel(params(`${SCHEMA}// 0\n`), [dir], ask);
    expect(asked).toHaveLength(17);
  });

  it('keeps nothing for a request the engine refuses', () => {
    const refuse = () => {
      throw new Error('invalid schema');
    };
    expect(() => getDatamodel(params('model {'), [dir], refuse)).toThrow('invalid schema');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('removes the temporary file of a run killed before its rename, never a live run’s', () => {
    const dead = 'prisma-datamodel-0123abcd.json.999999999-0.tmp';
    const live = `prisma-datamodel-0123abcd.json.${process.pid}-0.tmp`;
    writeFileSync(join(dir, dead), 'x');
    writeFileSync(join(dir, live), 'x');
    getDatamodel(params(SCHEMA), [dir], ask);
    expect(readdirSync(dir)).toContain(live);
    expect(readdirSync(dir)).not.toContain(dead);
  });

  it('is off with TRACKHUB_SYNC_CACHE=0: nothing read or written', () => {
    expect(datamodelCacheDirs({ TRACKHUB_SYNC_CACHE: '0' })).toEqual([]);
    expect(datamodelCacheDirs({ TRACKHUB_SYNC_CACHE: dir })).toEqual([dir]);
  });

  it('gives readPrisma the same facts from the engine and from the kept answer', () => {
    const env = process.env.TRACKHUB_SYNC_CACHE;
    process.env.TRACKHUB_SYNC_CACHE = dir;
    try {
      const files = [{ path: 'schema.prisma', text: `${SCHEMA}\n/// @sync\nmodel Tag {\n  id String @id\n  note String?\n}\n` }];
      const fromEngine = readPrisma(files);
      expect(fromEngine.models.map((m) => m.name)).toEqual(['Note', 'Tag']);
      expect(answers()).toHaveLength(1);
      expect(readPrisma(files)).toEqual(fromEngine);
      // Read from the file: what it holds is what readPrisma sees.
      const file = join(dir, answers()[0]!);
      const key = readFileSync(file, 'utf8').split('\n')[0];
      writeFileSync(file, `${key}\n{"models":[],"enums":[]}`, { mode: 0o600 });
      expect(readPrisma(files).models).toEqual([]);
    } finally {
      if (env === undefined) delete process.env.TRACKHUB_SYNC_CACHE;
      else process.env.TRACKHUB_SYNC_CACHE = env;
    }
  });
});

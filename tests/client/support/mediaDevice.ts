/**
 * One life of a device uploading a file, in its own process, for the media
 * crash test (tests/client/mediaCrash.test.ts): WatermelonDB's SQLite adapter
 * on a database FILE, the real engine, tus-js-client against a real tus
 * server, GraphqlTransport against the real sync server. The process kills
 * itself with a real SIGKILL once `killAtSent` bytes of the file went out.
 *
 * Run: node --import tsx mediaDevice.ts '<MediaLifeConfig JSON>'. Protocol on
 * stdout: `ATTACHED <uploadId>`, `KILL <bytes sent>` just before dying,
 * `DONE <json>` at a normal end.
 */
import { writeSync } from 'node:fs';
import { GraphqlTransport } from '../../../runtime/client/index';
import { FILE_FIELD, openMediaDevice, uploadUntilSettled, withTickets } from './media';

export interface MediaLifeConfig {
  syncUrl: string;
  tusUrl: string;
  tenant: string;
  dbFile: string;
  filesDir: string;
  /** First life: create a task and attach this file. */
  attach?: string;
  /** Die (SIGKILL) once this many bytes were handed to the network in this life. */
  killAtSent: number | null;
}

const config = JSON.parse(process.argv[2]!) as MediaLifeConfig;
const sync = new GraphqlTransport({ url: config.syncUrl, headers: () => ({ authorization: `Bearer dev:${config.tenant}:media` }) });
const device = openMediaDevice({
  tenantId: config.tenant,
  transport: withTickets(sync, { tusUrl: config.tusUrl }, config.tenant),
  filesDir: config.filesDir,
  dbName: config.dbFile,
  chunkSize: 1024 * 1024,
});
device.engine.events.subscribe((event) => {
  if (event.type === 'uploadProgress' && config.killAtSent !== null && event.sent >= config.killAtSent) {
    writeSync(1, `KILL ${event.sent}\n`);
    process.kill(process.pid, 'SIGKILL');
  }
});

if (config.attach) {
  const task = await device.tasks.create({ title: 'crash' });
  const upload = await device.tasks.attach(task.id, FILE_FIELD, config.attach, { contentType: 'application/octet-stream' });
  writeSync(1, `ATTACHED ${upload.id}\n`);
}
const [upload] = await device.engine.listUploads();
const settled = await uploadUntilSettled(device.engine, upload!.id);
const report = await device.engine.sync();
writeSync(1, `DONE ${JSON.stringify({ upload: settled, synced: report.ok })}\n`);
process.exit(0);

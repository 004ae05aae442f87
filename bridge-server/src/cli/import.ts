#!/usr/bin/env -S npx tsx
// stockroom import <folder> [--collection <id or slug>] [--folders tags|collections|ignore] [--as <e-mail>] [--concurrency N] [--json]
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { collectionRows } from '../repositories/collections.ts';
import { LocalFilesService } from '../services/local-files.ts';
import { importTree, type FolderMode } from './import-tree.ts';
import { startTool, toolActor } from './tool.ts';

const USAGE = `Usage: stockroom import <folder> [options]

Imports every file under <folder> as a new asset. Run it again after an interruption:
files already in their collection (same bytes) are skipped.

  --collection <id|slug>   target collection (default: unfiled)
  --folders <mode>         sub-folders become "tags" (default), "collections", or are ignored ("ignore")
  --as <e-mail>            account the assets are created by (default: the first administrator)
  --concurrency <n>        files imported at the same time (default 2)
  --json                   print the summary as JSON`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    collection: { type: 'string' },
    folders: { type: 'string', default: 'tags' },
    as: { type: 'string' },
    concurrency: { type: 'string', default: '2' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

const root = positionals[0];
if (values.help || !root) {
  console.log(USAGE);
  process.exit(values.help ? 0 : 2);
}
if (!['tags', 'collections', 'ignore'].includes(values.folders!)) {
  console.error(`--folders must be tags, collections or ignore (got "${values.folders}").`);
  process.exit(2);
}
if (!(await stat(root).catch(() => null))?.isDirectory()) {
  console.error(`${root} is not a folder.`);
  process.exit(2);
}

const stockroom = await startTool();
const actor = await toolActor(stockroom, values.as);
const db = stockroom.database.prisma;
let collectionId: string | null = null;
if (values.collection) {
  const found = await collectionRows.bySlugOrId(db, values.collection, /^[0-9a-f-]{36}$/i.test(values.collection) ? values.collection : undefined);
  if (!found) {
    console.error(`No collection with the id or slug "${values.collection}". Create it first (collections.create) or leave --collection out.`);
    await stockroom.stop();
    process.exit(2);
  }
  collectionId = found.id;
}

const controller = new AbortController();
process.once('SIGINT', () => {
  console.error('\nStopping after the files in progress; run the same command again to continue.');
  controller.abort();
});

const files = new LocalFilesService(db, stockroom.blobStore, path.join(stockroom.config.dataDir, 'staging'));
const bar =
  process.stderr.isTTY && !values.json
    ? new SingleBar({ format: ' {bar} {value}/{total} files | {imported} imported, {skipped} skipped, {failed} failed', hideCursor: true })
    : null;
const counts = { imported: 0, skipped: 0, failed: 0 };
const summary = await importTree(
  { actor, assets: stockroom.services.assets, collections: stockroom.services.collections, files },
  {
    root: path.resolve(root),
    collectionId,
    folders: values.folders as FolderMode,
    concurrency: Math.max(1, Number(values.concurrency) || 2),
    signal: controller.signal,
  },
  {
    onStart: (total) => bar?.start(total, 0, counts),
    onFile: (_file, outcome) => {
      counts[outcome] += 1;
      bar?.increment(1, counts);
    },
  },
);
bar?.stop();
await stockroom.stop();

if (values.json) {
  console.log(JSON.stringify(summary));
} else {
  console.log(`Imported ${summary.imported}, skipped ${summary.skipped} (already in), failed ${summary.failed.length}, of ${summary.total} files.`);
  for (const failure of summary.failed) console.log(`  failed: ${failure.file}: ${failure.error}`);
}
process.exit(summary.failed.length > 0 ? 1 : 0);

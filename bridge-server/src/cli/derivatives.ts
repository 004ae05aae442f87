#!/usr/bin/env -S npx tsx
// stockroom derivatives regenerate [--all] [--asset <id>]
import { parseArgs } from 'node:util';
import { startTool } from './tool.ts';

const USAGE = `Usage: stockroom derivatives regenerate [--all] [--asset <id>]

Queues derivative jobs; a running worker makes them.
  (default)     only what is missing: presets a version lacks, and failed derivatives
  --all         every derivative again, e.g. after the presets changed
  --asset <id>  only this asset's versions`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { all: { type: 'boolean', default: false }, asset: { type: 'string' }, help: { type: 'boolean', default: false } },
});
if (values.help || positionals[0] !== 'regenerate') {
  console.log(USAGE);
  process.exit(values.help ? 0 : 2);
}

const stockroom = await startTool();
const queued = await stockroom.services.derivatives.regenerate(values.all ? 'all' : 'missing', { assetId: values.asset });
await stockroom.stop();
console.log(`Queued ${queued} derivative job${queued === 1 ? '' : 's'}${values.all ? ' (all presets)' : ' (missing and failed only)'}.`);

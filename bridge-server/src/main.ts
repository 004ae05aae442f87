#!/usr/bin/env -S npx tsx
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.ts';
import { startStockroom, type Role } from './compose.ts';
import { tuneHeapGrowthForUploads } from './heap-growth.ts';
import { createLogger } from './logger.ts';
import { describeStartupFailure } from './startup-failure.ts';

const { values } = parseArgs({
  options: { role: { type: 'string', default: 'all' }, help: { type: 'boolean', default: false } },
  allowPositionals: true,
});

if (values.help) {
  console.log('Usage: stockroom [--role all|api|worker]\nConfiguration comes from environment variables; see the README.');
  process.exit(0);
}
if (!['all', 'api', 'worker'].includes(values.role!)) {
  console.error(`--role must be all, api or worker (got "${values.role}").`);
  process.exit(2);
}

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(78);
  }
  throw error;
}

const logger = createLogger(config.logLevel);
// Processes that take upload chunks (see heap-growth.ts).
if (values.role === 'all' || values.role === 'api') tuneHeapGrowthForUploads();
const started = Date.now();
const stockroom = await startStockroom(config, { role: values.role as Role, logger }).catch((error: unknown) => {
  // One sentence that names what to fix; the stack only for failures nobody foresaw.
  const failure = describeStartupFailure(error, config!);
  logger.fatal(failure.known ? {} : { err: error }, failure.sentence);
  if (config!.logLevel !== 'silent') process.stderr.write(`${failure.sentence}\n`);
  process.exit(1);
});
if (stockroom.bootstrap.created) {
  // Printed once, on the first start only, so the administrator can sign in.
  const lines = [
    '',
    '  Stockroom created its administrator account:',
    `    e-mail:    ${stockroom.bootstrap.email}`,
    ...(stockroom.bootstrap.generatedPassword ? [`    password:  ${stockroom.bootstrap.generatedPassword}`] : []),
    ...(stockroom.bootstrap.generatedToken ? [`    API token: ${stockroom.bootstrap.generatedToken}`] : []),
    '  They are shown only now. Keep them somewhere safe.',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
// Last, after the administrator's account: whoever waits for "ready" has everything the start prints.
logger.info({ ms: Date.now() - started, url: stockroom.http?.url ?? stockroom.workerHttp?.url }, 'ready');

// A graceful stop: stop taking work, finish what runs, then stop the database (the
// embedded cluster too). A second signal exits at once; the next start stops a cluster
// left behind.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'stopping');
    void stockroom.stop().then(() => process.exit(0));
  });
}

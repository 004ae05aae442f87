// A housekeeper in its own process whose task never ends, so a test can kill it (SIGKILL)
// while it holds the task's job. Usage: node --import tsx housekeeping-process.ts <databaseUrl> <job> <everyMs>
// Prints "running" when the task has started.
import type { HousekeepingTask } from '../../src/services/housekeeping.ts';
import { startHousekeeper } from './housekeeper.ts';

const [url, name, everyMs] = process.argv.slice(2) as [string, HousekeepingTask['name'], string];
await startHousekeeper(url, [
  {
    name,
    everyMs: Number(everyMs),
    run: () => {
      process.stdout.write('running\n');
      return new Promise(() => {});
    },
  },
]);

import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

const TICKS_PER_SECOND = 100;

/**
 * CPU seconds used so far by this process (all its threads: sharp's too) and, separately,
 * by its child processes' trees, running or ended (the embedded PostgreSQL and its backends, ffmpeg):
 * what a pipeline spends beside the media work competes with it on a small machine.
 * Linux only (reads /proc); elsewhere the children count as 0.
 */
export function cpuSeconds(): { self: number; children: number } {
  const usage = process.cpuUsage();
  return { self: (usage.user + usage.system) / 1e6, children: os.platform() === 'linux' ? reapedCpu() + childrenCpu(process.pid) : 0 };
}

/** Children that ended and were reaped (a finished ffmpeg, a stopped PostgreSQL) count in our own cutime/cstime. */
function reapedCpu(): number {
  const text = readFileSync('/proc/self/stat', 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND;
}

function childrenCpu(root: number): number {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields after the command name (which may hold spaces) start at the last ')'.
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      // ppid is field 4; utime, stime, cutime, cstime are fields 14–17 (1-based, with pid and comm first).
      const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
      stats.set(Number(entry), { ppid: Number(fields[1]), ticks });
    } catch {
      // The process ended while we looked.
    }
  }
  let ticks = 0;
  const frontier = [root];
  while (frontier.length > 0) {
    const parent = frontier.pop()!;
    for (const [pid, s] of stats) {
      if (s.ppid !== parent) continue;
      // cutime/cstime already hold the children it has reaped (ended backends).
      ticks += s.ticks;
      frontier.push(pid);
    }
  }
  return ticks / TICKS_PER_SECOND;
}

/**
 * CPU seconds of this process split by thread: libvips' own worker threads (sharp's pixel
 * work, the same for the same images whoever calls it) and all the others (the main
 * thread, the libuv pool that also drives sharp's pipelines, V8). Where the pipeline
 * spends more than the bare loop shows in the second. Threads still running only: one that
 * ended (libvips retires idle workers) counts in process.cpuUsage but here in neither.
 * Linux only; elsewhere all 0.
 */
export function threadCpuSeconds(): { libvips: number; others: number } {
  if (os.platform() !== 'linux') return { libvips: 0, others: 0 };
  let libvips = 0;
  let others = 0;
  for (const task of readdirSync('/proc/self/task')) {
    try {
      const text = readFileSync(`/proc/self/task/${task}/stat`, 'utf8');
      const name = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      const seconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
      if (name.startsWith('libvips')) libvips += seconds;
      else others += seconds;
    } catch {
      // The thread ended while we looked.
    }
  }
  return { libvips, others };
}

/**
 * Core pinning and per-process CPU time, for the HTTP figures. A server under load and its load
 * generator must not compete for one core (the generator would throttle the server, or the reverse),
 * so on a machine with ≥ 2 cores the server runs under `taskset -c 0` (util-linux) and the bench
 * process, which generates the load, pins itself and all its threads to core 1 with
 * `taskset -a -p -c 1 <pid>` for the length of the HTTP groups. The server's CPU per request is read
 * from `/proc/<pid>/stat` (utime + stime of all its threads, GC included) around each run.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { cpus } from "node:os";

export const SERVER_CORE = 0;
export const LOAD_CORE = 1;

const tasksetAvailable = spawnSync("taskset", ["--version"]).status === 0;
const ticksPerSecond = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

/** True when the server and the load generator get a core each. */
export const pinningWorks = tasksetAvailable && cpus().length >= 2;

/** How the HTTP figures were pinned, for the notes. */
export function describePinning(): string {
  return pinningWorks
    ? `servers under \`taskset -c ${SERVER_CORE}\`, the load generator (the bench process, all threads) moved to core ${LOAD_CORE} with \`taskset -a -p -c ${LOAD_CORE} <pid>\``
    : "NOT pinned (taskset from util-linux missing, or fewer than 2 cores): server and load generator share the cores, so CPU per request includes contention";
}

/** `[command, args]` that runs `command args` pinned to the server core (unchanged when pinning is unavailable). */
export function onServerCore(command: string, args: string[]): [string, string[]] {
  return pinningWorks ? ["taskset", ["-c", String(SERVER_CORE), command, ...args]] : [command, args];
}

function setAffinity(pid: number, cores: string): void {
  if (!pinningWorks) return;
  const result = spawnSync("taskset", ["-a", "-p", "-c", cores, String(pid)], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`taskset -a -p -c ${cores} ${pid} failed: ${result.stderr}`);
}

/** Runs `work` with this process pinned to the load core, then gives it every core back. */
export async function asLoadGenerator<T>(work: () => Promise<T>): Promise<T> {
  setAffinity(process.pid, String(LOAD_CORE));
  try {
    return await work();
  } finally {
    setAffinity(process.pid, `0-${cpus().length - 1}`);
  }
}

/** CPU time (user + system, every thread) a process has used so far, in µs; from /proc, Linux only. */
export function processCpuMicros(pid: number): number {
  const path = `/proc/${pid}/stat`;
  if (!existsSync(path)) return Number.NaN;
  const stat = readFileSync(path, "utf8");
  // Fields after the command name (which may hold spaces), which ends at the last ')'.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of stat(5): indexes 11 and 12 after the name.
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / ticksPerSecond;
}

/** The resolution of {@link processCpuMicros}: one clock tick. */
export const cpuTickMicros = 1e6 / ticksPerSecond;

/** CPU µs used so far by `pid` and by each process whose parent it is (a PostgreSQL postmaster and its backends), by pid. */
export function processTreeCpu(pid: number): Map<number, number> {
  const tree = new Map<number, number>([[pid, processCpuMicros(pid)]]);
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // ppid is field 4 of stat(5): index 1 after the name.
      if (Number(fields[1]) === pid) tree.set(Number(entry), ((Number(fields[11]) + Number(fields[12])) * 1e6) / ticksPerSecond);
    } catch {
      // The process ended while we looked.
    }
  }
  return tree;
}

/**
 * CPU µs the tree used between two {@link processTreeCpu} snapshots: processes that started count
 * from zero; processes that ended in between are left out (their last part is lost, never negative).
 */
export function treeCpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, micros] of after) total += micros - (before.get(pid) ?? 0);
  return total;
}

/** The parent of a process (e.g. a PostgreSQL backend's postmaster). */
export function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
}

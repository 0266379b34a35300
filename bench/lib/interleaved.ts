/**
 * Runs tinybench tasks in several short interleaved rounds instead of one long run per task. On a
 * shared 2-core machine the load from other processes drifts over seconds; interleaving puts every
 * task under the same conditions in each round, and a ratio is taken within each round (then the
 * median across rounds), so drift cancels out of the ratios the targets are about.
 *
 * Clock: in-process compute is timed in CPU time of this process (user + system, all its threads,
 * so V8's GC helpers count), not wall time: a task descheduled by another process's load would
 * otherwise look slower than it is. ops/s then means "per CPU-second", i.e. on an uncontended core.
 */
import { Bench } from "tinybench";

export interface TimedTask {
  name: string;
  /** Runs `batch` operations. */
  fn: () => unknown;
  /** Operations per call (a batch keeps each timed sample far above the timer's resolution). */
  batch: number;
}

export interface InterleavedResult {
  /** ops/s of each task in each round: `[task][round]`. */
  perRound: number[][];
  median(task: number): number;
  /** ops/s of `task` over rounds: median and IQR. */
  spread(task: number): Spread;
  /** The median over rounds of `task / baseline`, both measured in the same round. */
  medianRatio(task: number, baseline: number): number;
  /** `task / baseline` taken within each round: median and IQR over rounds. */
  ratio(task: number, baseline: number): Spread;
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** The `q` quantile of `values`, interpolated linearly between the nearest ranks. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}

/** A median with its interquartile range (over rounds). */
export interface Spread {
  median: number;
  q1: number;
  q3: number;
}

export function spread(values: readonly number[]): Spread {
  return { median: quantile(values, 0.5), q1: quantile(values, 0.25), q3: quantile(values, 0.75) };
}

/** Milliseconds of CPU time used by this process so far (µs resolution). */
export function cpuNow(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

export async function runInterleaved(tasks: TimedTask[], options: { rounds: number; timeMs: number; clock?: "cpu" | "wall" }): Promise<InterleavedResult> {
  const now = options.clock === "wall" ? undefined : cpuNow;
  const perRound: number[][] = tasks.map(() => []);
  for (let round = 0; round < options.rounds; round++) {
    const bench = new Bench({ ...(now && { now }), time: options.timeMs, throws: true, warmup: round === 0, warmupIterations: 32, iterations: 8 });
    // Alternate the order, so that no task always runs first (or right after the same neighbour).
    const order = round % 2 === 0 ? tasks.map((_, index) => index) : tasks.map((_, index) => tasks.length - 1 - index);
    for (const index of order) bench.add(tasks[index]!.name, tasks[index]!.fn);
    await bench.run();
    order.forEach((index, position) => {
      const result = bench.tasks[position]!.result;
      if (result.state !== "completed") throw new Error(`${tasks[index]!.name}: ${result.state}`);
      perRound[index]!.push((tasks[index]!.batch * 1000) / result.period);
    });
  }
  return {
    perRound,
    median: (task) => median(perRound[task]!),
    spread: (task) => spread(perRound[task]!),
    medianRatio: (task, baseline) => median(perRound[task]!.map((value, round) => value / perRound[baseline]![round]!)),
    ratio: (task, baseline) => spread(perRound[task]!.map((value, round) => value / perRound[baseline]![round]!)),
  };
}

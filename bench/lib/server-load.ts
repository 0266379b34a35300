/**
 * Servers under HTTP load, compared in interleaved rounds: each round drives every server in turn
 * (the order alternates) with autocannon for a fixed time, from the bench process pinned to its own
 * core (lib/pinning.ts), and reads the server's CPU time from /proc around the run. Per server and
 * round: requests per second, p50/p99 latency, and CPU µs per request — the figure that does not
 * depend on how hard one load generator can push.
 *
 * Fixed-time runs, not fixed counts: autocannon's `amount` runs end on its 1-second ticks, which
 * would quantise the rate.
 */
import autocannon from "autocannon";
import type { ChildServer } from "./child-server.js";
import { median, quantile } from "./interleaved.js";
import { asLoadGenerator, cpuTickMicros, processCpuMicros } from "./pinning.js";

export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

export interface ServerUnderLoad {
  name: string;
  server: ChildServer;
  path: string;
  /** The requests to send, in order; cycled if the run outlasts them (counted in `repeats`). */
  requests: (count: number) => SignedRequest[];
  /** How many distinct requests to prepare per run at most (lowered to the rate the warm-up shows). */
  prepare: number;
  /** Seconds per run (default: the comparison's). */
  seconds?: number;
  /** Answers with this status count as successes (default 200). */
  okStatus?: number;
}

export interface RunResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  cpuMicrosPerRequest: number;
  total: number;
  notOk: number;
  errors: number;
  repeats: number;
}

export interface ServerFigures {
  name: string;
  rounds: RunResult[];
  /** Median over rounds of a field. */
  median(field: keyof RunResult): number;
}

export function drive(target: ServerUnderLoad, connections: number, seconds: number): Promise<RunResult> {
  const prepared = target.requests(target.prepare);
  let next = 0;
  const pid = target.server.process.pid!;
  return new Promise((resolve, reject) => {
    const cpuBefore = processCpuMicros(pid);
    const instance = autocannon(
      {
        url: target.server.url,
        connections,
        duration: seconds,
        requests: [
          {
            method: "POST",
            path: target.path,
            setupRequest: (request: Record<string, unknown>) => {
              const delivery = prepared[next++ % prepared.length]!;
              return { ...request, body: delivery.body, headers: delivery.headers };
            },
          },
        ],
      },
      (error: Error | null, result: autocannon.Result) => {
        if (error) return reject(error);
        const cpu = processCpuMicros(pid) - cpuBefore;
        const total = result.requests.total;
        const ok = (result as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats?.[String(target.okStatus ?? 200)]?.count;
        resolve({
          requestsPerSecond: total / result.duration,
          p50: result.latency.p50,
          p99: result.latency.p99,
          cpuMicrosPerRequest: total > 0 ? cpu / total : Number.NaN,
          total,
          notOk: ok === undefined ? result.non2xx : total - ok,
          errors: result.errors + result.timeouts,
          repeats: Math.max(0, next - prepared.length),
        });
      },
    );
    void instance;
  });
}

/** Warms every server, then runs `rounds` interleaved rounds. */
export async function compareServers(
  targets: ServerUnderLoad[],
  options: { rounds: number; seconds: number; connections: number; warmSeconds?: number },
): Promise<ServerFigures[]> {
  return asLoadGenerator(async () => {
    // The warm-up also tells each server's rate: prepare that many fresh requests per run (+30%),
    // not a fixed worst case (signing tens of thousands that a slow server never reaches).
    for (const target of targets) {
      const warm = await drive(target, options.connections, options.warmSeconds ?? 1);
      target.prepare = Math.min(target.prepare, Math.max(1_000, Math.ceil(warm.requestsPerSecond * (target.seconds ?? options.seconds) * 1.3)));
    }
    const rounds: RunResult[][] = targets.map(() => []);
    for (let round = 0; round < options.rounds; round++) {
      const order = targets.map((_, index) => (round % 2 === 0 ? index : targets.length - 1 - index));
      for (const index of order) rounds[index]!.push(await drive(targets[index]!, options.connections, targets[index]!.seconds ?? options.seconds));
    }
    return targets.map((target, index) => ({
      name: target.name,
      rounds: rounds[index]!,
      median: (field) => median(rounds[index]!.map((run) => run[field])),
    }));
  });
}

/** Median and interquartile range over rounds of `a / b` taken within each round. */
export function roundRatio(a: ServerFigures, b: ServerFigures, field: keyof RunResult): { median: number; q1: number; q3: number } {
  const ratios = a.rounds.map((run, round) => run[field] / b.rounds[round]![field]);
  return { median: median(ratios), q1: quantile(ratios, 0.25), q3: quantile(ratios, 0.75) };
}

/** Whether a server's CPU figure is trustworthy: each run's CPU is ≥ 50 ticks of /proc's clock. */
export function cpuResolutionNote(figures: ServerFigures[]): string | undefined {
  const coarse = figures.filter((figure) => figure.rounds.some((run) => run.cpuMicrosPerRequest * run.total < 50 * cpuTickMicros));
  return coarse.length === 0 ? undefined : `CPU per request of ${coarse.map((f) => f.name).join(", ")} rests on < 50 clock ticks per run (±2% or worse)`;
}

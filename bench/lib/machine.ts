/** The machine a run happened on, for the results header: figures mean nothing without it. */
import { cpus, loadavg, totalmem } from "node:os";

export function describeMachine(): string[] {
  const list = cpus();
  return [
    `CPU: ${list[0]?.model.trim() ?? "unknown"}, ${list.length} cores (logical), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
    `Node ${process.version} on ${process.platform}/${process.arch}`,
  ];
}

/** The 1-minute load average: above the core count, other processes competed with the bench. */
export function loadAverage(): string {
  return loadavg()[0]!.toFixed(2);
}

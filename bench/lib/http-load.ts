/**
 * Sends each delivery once over `connections` keep-alive connections (one worker per connection,
 * each waiting for its answer before the next), and times every request. Used where autocannon's
 * `amount` runs are too short: autocannon reports at its 1-second ticks, so a run of a few seconds
 * measures as a whole number of seconds.
 */
import { Agent, request } from "node:http";

export interface TimedLoad {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  total: number;
}

function post(agent: Agent, url: URL, path: string, delivery: { body: string; headers: Record<string, string> }): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { agent, host: url.hostname, port: url.port, path, method: "POST", headers: { ...delivery.headers, "content-length": Buffer.byteLength(delivery.body) } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error("timed out after 30 s")));
    req.on("error", reject);
    req.end(delivery.body);
  });
}

export async function timedLoad(
  base: string,
  path: string,
  deliveries: ReadonlyArray<{ body: string; headers: Record<string, string> }>,
  connections: number,
): Promise<TimedLoad> {
  const url = new URL(base);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let next = 0;
  let non2xx = 0;
  let errors = 0;
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      const index = next++;
      if (index >= deliveries.length) return;
      const sent = performance.now();
      try {
        const status = await post(agent, url, path, deliveries[index]!);
        if (status < 200 || status > 299) non2xx++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - sent);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]! * 10) / 10;
  return { requestsPerSecond: deliveries.length / seconds, p50: at(0.5), p99: at(0.99), non2xx, errors, total: deliveries.length };
}

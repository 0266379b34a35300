/**
 * CPU time the mock server spends per signed delivery: the built CLI (`dist/cli.js --as dobbletap`,
 * its defaults, log lines to a discarded stdout) in a child process pinned to core 0, a keep-alive
 * node:http load generator in this process pinned to core 1, every request a new `offer_sent`
 * (fresh envelope id and offer id, signed with node:crypto before the clock starts). The figure is
 * the server process's utime + stime (`/proc/<pid>/stat`) over N deliveries, divided by N; rounds
 * are repeated and the median and the spread are printed.
 *
 * Usage (after `pnpm build`): node packages/mock-server/scripts/cpu-per-delivery.ts
 *   [--server mock|sdk|bare] [--requests 20000] [--rounds 5] [--connections 10] [--quiet] [--prof DIR] [-- extra CLI flags]
 * `--prof DIR` starts the server with `node --cpu-prof --cpu-prof-dir=DIR` (one profile on exit).
 * `--server sdk`: the SDK's receiver alone under the same load (`createWebhookHandler` with one
 * offer_sent handler answering a fixed result, served by `toNodeListener`), so the mock's own share
 * is the difference; `--server bare`: node:http reading the body and answering 200 (the floor).
 */
import { spawn, spawnSync } from "node:child_process";
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const base = "/functions/v1/make-server-8061e72e/webhooks/dttracker";
const args = process.argv.slice(2);
if (args[0] === "--serve") await serve(args[1]!, Number(args[2]));
const dash = args.indexOf("--");
const extra = dash === -1 ? [] : args.slice(dash + 1);
const own = dash === -1 ? args : args.slice(0, dash);
const flag = (name: string, fallback: number) => {
  const at = own.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(own[at + 1]);
};
const requests = flag("requests", 20_000);
const rounds = flag("rounds", 5);
const connections = flag("connections", 10);
const profDir = own.includes("--prof") ? own[own.indexOf("--prof") + 1] : undefined;
const kind = own.includes("--server") ? own[own.indexOf("--server") + 1]! : "mock";
if (!["mock", "sdk", "bare"].includes(kind)) throw new Error(`--server ${kind}: give mock, sdk or bare.`);
if (own.includes("--quiet")) extra.push("--quiet");

const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const secret = `whsec_${randomBytes(32).toString("base64")}`;
const key = Buffer.from(secret.slice("whsec_".length), "base64");
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

const pinned = spawnSync("taskset", ["-p", "-c", "1", String(process.pid)], { stdio: "ignore" }).status === 0;
const port = await freePort();
const target = kind === "mock" ? [cli, "--as", "dobbletap", "--port", String(port), ...extra] : [fileURLToPath(import.meta.url), "--serve", kind, String(port)];
const node = [...(profDir ? ["--cpu-prof", `--cpu-prof-dir=${profDir}`] : []), ...target];
const child = pinned
  ? spawn("taskset", ["-c", "0", process.execPath, ...node], { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, WEBHOOK_SECRET: secret } })
  : spawn(process.execPath, node, { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, WEBHOOK_SECRET: secret } });
const exited = new Promise((resolve) => child.once("exit", resolve));
const agent = new Agent({ keepAlive: true, maxSockets: connections });

try {
  await waitUntilUp();
  await load(Math.ceil(requests / 4)); // warm-up: JIT, connections
  const perDelivery: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const deliveries = Array.from({ length: requests }, signedDelivery);
    const before = cpuMicros(child.pid!);
    const failed = await load(requests, deliveries);
    const used = cpuMicros(child.pid!) - before;
    if (failed > 0) throw new Error(`${failed} of ${requests} deliveries were not answered 200`);
    perDelivery.push(used / requests);
  }
  perDelivery.sort((a, b) => a - b);
  const median = perDelivery[Math.floor(perDelivery.length / 2)]!;
  console.log(
    `${kind} CPU per signed delivery: median ${median.toFixed(1)} µs (rounds: ${perDelivery.map((v) => v.toFixed(1)).join(", ")}; ` +
      `${rounds} × ${requests} deliveries, ${connections} connections; server ${pinned ? "taskset -c 0, load -c 1" : "not pinned (no taskset)"}${extra.length ? `; flags ${extra.join(" ")}` : ""})`,
  );
} finally {
  agent.destroy();
  child.kill("SIGINT");
  await exited;
}

/** The child's (the server's) user + system CPU time so far, in µs. With taskset the child is taskset's exec: same pid. */
function cpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  // After "pid (comm) ": state is field 3, utime 14, stime 15 (1-based) → indexes 11 and 12 here.
  return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / TICKS_PER_SECOND;
}

function signedDelivery(): { body: string; headers: Record<string, string> } {
  const id = randomUUID();
  const body = JSON.stringify({
    id,
    event: "offer_sent",
    occurredAt: new Date().toISOString(),
    data: {
      offer: {
        id: randomUUID(),
        // The demo seed's campaign and creator (the contract examples' ids).
        campaignId: "5d7c2f1e-8a4b-4c3d-9e2f-1a0b3c4d5e6f",
        creatorId: "29f99241-53d1-4f78-b9b0-2169f4a15a49",
        amount: { currency: "NGN", amountMinor: 7_500_000 },
        message: "Loved your last skincare reel. ".repeat(22).trim(),
      },
    },
  });
  const timestamp = Math.floor(Date.now() / 1000);
  const mac = createHmac("sha256", key).update(`${id}.${timestamp}.`).update(body).digest("base64");
  return {
    body,
    headers: {
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(body)),
      "webhook-id": id,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": `v1,${mac}`,
    },
  };
}

/** Sends each delivery once over `connections` keep-alive connections; resolves with the count of non-200 answers. */
function load(count: number, deliveries = Array.from({ length: count }, signedDelivery)): Promise<number> {
  let next = 0;
  let done = 0;
  let failed = 0;
  return new Promise((resolve, reject) => {
    const send = () => {
      const delivery = deliveries[next++]!;
      const req = request({ host: "127.0.0.1", port, path: base, method: "POST", agent, headers: delivery.headers }, (res) => {
        if (res.statusCode !== 200) failed++;
        res.resume();
        res.once("end", () => {
          done++;
          if (next < count) send();
          else if (done === count) resolve(failed);
        });
      });
      req.once("error", reject);
      req.end(delivery.body);
    };
    for (let i = 0; i < Math.min(connections, count); i++) send();
  });
}

async function waitUntilUp(): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`);
      await response.arrayBuffer();
      return;
    } catch {
      if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode} before answering`);
      if (Date.now() - started > 10_000) throw new Error("the server did not answer within 10 s");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** The comparison servers, in a child process of this script (`--serve sdk|bare PORT`). */
async function serve(what: string, listenOn: number): Promise<never> {
  const { createServer: createHttpServer } = await import("node:http");
  let listener: Parameters<typeof createHttpServer>[1];
  if (what === "bare") {
    listener = (req, res) => {
      req.on("data", () => {});
      req.on("end", () => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(`{"success":true,"eventId":"${String(req.headers["webhook-id"])}","result":{"type":"offer","id":"${randomUUID()}","status":"offered"}}`);
      });
    };
  } else {
    // The SDK as built (dist), as the mock's CLI bundles it.
    const sdk = (await import(new URL("../../sdk/dist/index.js", import.meta.url).href)) as typeof import("@dttracker-dobbletap/sdk");
    const node = (await import(new URL("../../sdk/dist/node.js", import.meta.url).href)) as typeof import("@dttracker-dobbletap/sdk/node");
    const handle = sdk.createWebhookHandler({
      secrets: process.env.WEBHOOK_SECRET!,
      endpoint: "dobbletap.webhooks",
      handlers: {
        offer_sent: () => ({ type: "offer", id: randomUUID(), status: "offered" }),
        // Not sent by this load; the endpoint needs a handler for each of its events.
        campaign_created: () => ({ type: "campaign", id: randomUUID(), status: "active" }),
        activation_updated: () => ({ type: "campaign", id: randomUUID(), status: "active" }),
        activation_cancelled: () => ({ type: "campaign", id: randomUUID(), status: "cancelled" }),
      },
    } as never);
    const receive = node.toNodeListener(handle);
    listener = (req, res) => {
      if (req.url === base) return receive(req, res);
      res.writeHead(404).end();
    };
  }
  const server = createHttpServer({ keepAliveTimeout: 65_000 }, listener);
  server.listen(listenOn, "127.0.0.1");
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(0));
  return new Promise<never>(() => {});
}

/**
 * The sender's cost per call against a bare fetch of the same body: sequential sends to a
 * node:http server in a child process (so this process's CPU is the sender's alone), in
 * interleaved rounds, CPU from `process.cpuUsage`, medians of the per-round ratios.
 * A quick check for whoever changes the send path; the official figures come from `pnpm bench`.
 *
 * Usage: `pnpm --filter @dttracker-dobbletap/sdk exec tsx --conditions=@dttracker-dobbletap/source scripts/send-overhead.ts [rounds] [callsPerRound]`
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { events } from "@dttracker-dobbletap/contracts";
import { createDobbletapClient, generateSecret } from "../src/index.js";

const SERVER = `
const { createServer } = require("node:http");
const server = createServer((req, res) => {
  req.on("data", () => {});
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"success":true,"eventId":"' + req.headers["webhook-id"] + '","result":{"type":"offer","id":"e4b8d2f6-9a1c-4e3b-8d5f-7c9a1e3b5d7f","status":"offered"}}');
  });
});
server.keepAliveTimeout = 65000;
server.listen(0, "127.0.0.1", () => process.send(server.address().port));
`;

const rounds = Number(process.argv[2] ?? 9);
const calls = Number(process.argv[3] ?? 400);

const child = spawn(process.execPath, ["-e", SERVER], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
const [port] = (await once(child, "message")) as [number];
const baseUrl = `http://127.0.0.1:${port}`;
const url = `${baseUrl}/webhooks/dttracker`;

const { data } = events.offer_sent.example;
const body = JSON.stringify({ ...events.offer_sent.example, id: crypto.randomUUID() });
const client = createDobbletapClient({ baseUrl, secret: generateSecret() });

const sdkSend = async () => {
  const sent = await client.offerSent(data);
  if (!sent.success) throw new Error(sent.syncStatus.error?.message);
};
const bareFetch = async () => {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "webhook-id": "a7e3c9d1-5b2f-4e8a-9c6d-3f1b7e5a9c2d" },
    body,
  });
  await response.text();
};

async function time(call: () => Promise<void>): Promise<{ wall: number; cpu: number }> {
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  for (let index = 0; index < calls; index++) await call();
  const wall = (performance.now() - started) / calls;
  const cpu = process.cpuUsage(cpuStart);
  return { wall: wall * 1000, cpu: (cpu.user + cpu.system) / calls };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

await time(sdkSend);
await time(bareFetch);
const results: Array<{ sdk: { wall: number; cpu: number }; bare: { wall: number; cpu: number } }> = [];
for (let round = 0; round < rounds; round++) {
  if (round % 2 === 0) {
    const sdk = await time(sdkSend);
    results.push({ sdk, bare: await time(bareFetch) });
  } else {
    const bare = await time(bareFetch);
    results.push({ bare, sdk: await time(sdkSend) });
  }
}
child.kill();
const row = (name: string, pick: (r: (typeof results)[number]) => number) => console.log(name.padEnd(28), median(results.map(pick)).toFixed(1));
row("bare fetch wall µs/call", (r) => r.bare.wall);
row("SDK send wall µs/call", (r) => r.sdk.wall);
row("bare fetch CPU µs/call", (r) => r.bare.cpu);
row("SDK send CPU µs/call", (r) => r.sdk.cpu);
console.log("wall ratio (median of rounds)", median(results.map((r) => r.sdk.wall / r.bare.wall)).toFixed(2));
console.log("CPU ratio (median of rounds) ", median(results.map((r) => r.sdk.cpu / r.bare.cpu)).toFixed(2));

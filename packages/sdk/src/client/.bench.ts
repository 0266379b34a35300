import { spawn } from "node:child_process";
import { events } from "@dttracker-dobbletap/contracts";
import ky from "ky";
import { createDobbletapClient, generateSecret } from "../index.js";
const port = 40000 + Math.floor(Math.random() * 1000);
const child = spawn(process.execPath, ["/tmp/clientbench/server.mjs", String(port)], { stdio: ["ignore", "pipe", "inherit"] });
await new Promise((r) => child.stdout!.once("data", r));
const base = `http://127.0.0.1:${port}`;
const url = base + "/webhooks/dttracker";
const data = events.offer_sent.example.data;
const body = JSON.stringify(events.offer_sent.example);
const bytes = new TextEncoder().encode(body);
const client = createDobbletapClient({ baseUrl: base, secret: generateSecret() });
const api = ky.create({ method: "post", headers: { "content-type": "application/json", accept: "application/json" }, timeout: 10000, totalTimeout: 30000, throwHttpErrors: true, redirect: "manual" });
const variants: Record<string, () => Promise<unknown>> = {
  bare: async () => { const r = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body }); await r.text(); },
  bareRequest: async () => { const r = await fetch(new Request(url, { method: "POST", headers: { "content-type": "application/json" }, body: bytes })); await r.text(); },
  kyRetry3: () => api.post(url, { body: bytes, retry: { limit: 3, methods: ["post"] } }).text(),
  kyRetry0: () => api.post(url, { body: bytes, retry: 0 }).text(),
  kyNoBody3: () => api.post(url, { retry: { limit: 3, methods: ["post"] }, fetch: (req: any) => fetch(req.url, { method: "POST", headers: req.headers, body: bytes, signal: req.signal, redirect: "manual" }) }).text(),
  sdk: async () => { const s = await client.offerSent(data); if (!s.success) throw new Error(s.syncStatus.error?.message); },
};
async function time(n: number, f: () => Promise<unknown>) { const c = process.cpuUsage(); const t = performance.now(); for (let i = 0; i < n; i++) await f(); const u = process.cpuUsage(c); return [(u.user + u.system) / 1000 / n, (performance.now() - t) / n]; }
for (const f of Object.values(variants)) await time(300, f);
const res: Record<string, number[][]> = {};
for (let r = 0; r < 6; r++) for (const [k, f] of Object.entries(variants)) (res[k] ??= []).push(await time(300, f));
for (const [k, v] of Object.entries(res)) { const cpu = v.map((x) => x[0]).sort((a, b) => a - b); const wall = v.map((x) => x[1]).sort((a, b) => a - b); console.log(k.padEnd(12), "cpu µs", Math.round(cpu[3]! * 1000), "wall µs", Math.round(wall[3]! * 1000)); }
child.kill();

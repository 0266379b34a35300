import { events, parseEventData, parseSuccessAnswer, Uuid, IsoDateTime } from "@dttracker-dobbletap/contracts";
import ky from "ky";
import { createSigner, generateSecret } from "../index.js";
const data = events.offer_sent.example.data;
const signer = createSigner(generateSecret());
const enc = new TextEncoder();
function bench(name: string, n: number, f: () => unknown) { for (let i = 0; i < n; i++) f(); const t = performance.now(); for (let i = 0; i < n; i++) f(); console.log(name, ((performance.now() - t) / n * 1000).toFixed(1), "µs"); }
async function abench(name: string, n: number, f: () => Promise<unknown>) { for (let i = 0; i < n; i++) await f(); const t = performance.now(); for (let i = 0; i < n; i++) await f(); console.log(name, ((performance.now() - t) / n * 1000).toFixed(1), "µs"); }
bench("parseEventData", 20000, () => parseEventData("offer_sent", data));
bench("uuid", 20000, () => crypto.randomUUID());
bench("stringify+encode", 20000, () => enc.encode(JSON.stringify({ id: "x", event: "offer_sent", occurredAt: new Date().toISOString(), data })));
const body = enc.encode(JSON.stringify(events.offer_sent.example));
await abench("sign", 20000, () => signer.headers("a7e3c9d1-5b2f-4e8a-9c6d-3f1b7e5a9c2d", body));
const ans = { success: true, eventId: "a7e3c9d1-5b2f-4e8a-9c6d-3f1b7e5a9c2d", result: { type: "offer", id: "2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a", status: "offered" } };
bench("parseSuccessAnswer", 20000, () => parseSuccessAnswer("offer_sent", ans));
const text = JSON.stringify(ans);
const fakeFetch = async () => new Response(text, { status: 200, headers: { "content-type": "application/json" } });
await abench("bare fakeFetch+text", 5000, async () => (await fakeFetch()).text());
await abench("new Request + fakeFetch", 5000, async () => { const r = new Request("http://127.0.0.1:1/x", { method: "POST", body, headers: { "content-type": "application/json" }, duplex: "half" } as RequestInit); return (await fakeFetch()).text(); });
const api = ky.create({ method: "post", headers: { "content-type": "application/json", accept: "application/json" }, timeout: 10000, totalTimeout: 30000, throwHttpErrors: true, redirect: "manual" });
await abench("ky.post(fakeFetch).text()", 5000, () => api.post("http://127.0.0.1:1/x", { body, fetch: fakeFetch, retry: { limit: 3, methods: ["post"] } }).text());
await abench("ky.post no retry", 5000, () => api.post("http://127.0.0.1:1/x", { body, fetch: fakeFetch, retry: 0 }).text());
await abench("ky.post no totalTimeout", 5000, () => ky.post("http://127.0.0.1:1/x", { body, fetch: fakeFetch, retry: { limit: 3, methods: ["post"] } }).text());

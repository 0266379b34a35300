// The raw floor as a server: node:http that reads the body, verifies the Standard Webhooks HMAC in
// constant time with node:crypto, parses the JSON and answers a contract success; no validation, no
// dedup. What any correct receiver must at least do per request, for the toNodeListener comparison.
// Usage: WEBHOOK_SECRET=whsec_… node bench/servers/floor-server.mjs <port>
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";

const key = Buffer.from(process.env.WEBHOOK_SECRET.replace(/^whsec_/, ""), "base64");

function answer(res, status, body) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    const id = req.headers["webhook-id"] ?? "";
    const timestamp = req.headers["webhook-timestamp"] ?? "";
    const signature = req.headers["webhook-signature"] ?? "";
    if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return answer(res, 401, { success: false });
    const expected = createHmac("sha256", key).update(`${id}.${timestamp}.`).update(body).digest();
    const given = Buffer.from(signature.slice(3), "base64");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return answer(res, 401, { success: false });
    let event;
    try {
      event = JSON.parse(body.toString("utf8"));
    } catch {
      return answer(res, 400, { success: false });
    }
    answer(res, 200, { success: true, eventId: event.id, result: { type: "offer", id: event.data?.offer?.id, status: "offered" } });
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.argv[2] ?? 0), "127.0.0.1");
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));

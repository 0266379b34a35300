// The baseline server: node:http that only reads the body and answers 200, nothing else (no
// verification, no parsing). It answers a contract success naming the webhook-id it was sent, so
// the SDK sender can be measured against it too (the sender checks that eventId is its own id).
// Usage: node bench/servers/bare-server.mjs [port]   (port 0 = any; prints "listening <port>")
import { createServer } from "node:http";

const RESULT_ID = "e4b8d2f6-9a1c-4e3b-8d5f-7c9a1e3b5d7f";

const server = createServer((req, res) => {
  req.on("data", () => {});
  req.on("end", () => {
    const eventId = req.headers["webhook-id"] ?? "a7e3c9d1-5b2f-4e8a-9c6d-3f1b7e5a9c2d";
    res.writeHead(200, { "content-type": "application/json" });
    res.end(`{"success":true,"eventId":"${eventId}","result":{"type":"offer","id":"${RESULT_ID}","status":"offered"}}`);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.argv[2] ?? 0), "127.0.0.1", () => {
  console.log(`listening ${server.address().port}`);
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));

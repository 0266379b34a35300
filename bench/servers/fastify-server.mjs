// fastify as a reference server: its JSON body parser and serializer, answering a contract success
// naming the webhook-id (no verification). Shows what a well-tuned framework costs per request.
// Usage: node bench/servers/fastify-server.mjs <port>
import Fastify from "fastify";

const app = Fastify({ logger: false, keepAliveTimeout: 65_000, bodyLimit: 256 * 1024 });
const reply = {
  200: {
    type: "object",
    properties: {
      success: { type: "boolean" },
      eventId: { type: "string" },
      result: { type: "object", properties: { type: { type: "string" }, id: { type: "string" }, status: { type: "string" } } },
    },
  },
};
app.post("/*", { schema: { response: reply } }, async (request) => ({
  success: true,
  eventId: request.headers["webhook-id"],
  result: { type: "offer", id: request.body?.data?.offer?.id, status: "offered" },
}));
app.get("/*", async () => ({ ok: true }));
await app.listen({ port: Number(process.argv[2] ?? 0), host: "127.0.0.1" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => app.close().then(() => process.exit(0)));

/**
 * Checks the contracts package's v1a test vectors under the real Deno binary (run by deno.test.ts):
 * verifies every vector with the SDK's verifier on each backend Deno offers (Web Crypto always;
 * node:crypto through Deno's Node compatibility), and signs the first vector's content with its
 * whsk_ key, so that Node can check Deno's signature. Prints one JSON line.
 */
import { createSigner, createVerifier } from "@dttracker-dobbletap/sdk";

interface DenoApi {
  args: string[];
  readTextFile(path: string): Promise<string>;
}
const Deno: DenoApi = (globalThis as unknown as { Deno: DenoApi }).Deno;

type Vectors = {
  keys: { secretKey: string; publicKey: string };
  vectors: Array<{ description: string; id: string; timestamp: number; body: string; signature: string; valid: boolean }>;
};
const { keys, vectors } = JSON.parse(await Deno.readTextFile(Deno.args[0]!)) as Vectors;

const results: Array<{ backend: string; description: string; passed: boolean }> = [];
for (const backend of ["web", "auto"] as const) {
  for (const vector of vectors) {
    const verifier = createVerifier([keys.publicKey], { backend, now: () => vector.timestamp * 1000 });
    const headers = { "webhook-id": vector.id, "webhook-timestamp": String(vector.timestamp), "webhook-signature": vector.signature };
    const passed = await verifier.verify(headers, vector.body).then(
      () => true,
      () => false,
    );
    results.push({ backend, description: vector.description, passed });
  }
}
const first = vectors[0]!;
const signature = await createSigner(keys.secretKey, { backend: "web" }).sign(first.id, first.timestamp, first.body);
console.log(JSON.stringify({ results, signature }));

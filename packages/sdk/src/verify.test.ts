// `@dttracker-dobbletap/sdk/verify` is for a gateway or a middleware that checks signatures only:
// bundled the way an application bundles it, it must pull neither zod nor the contract's schemas,
// and stay within 3 KB gzip. Bundled from source with esbuild (what tsup builds with).
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { createSigner, generateSecret } from "./index.js";
import { createVerifier } from "./verify.js";

const entry = fileURLToPath(new URL("./verify.ts", import.meta.url));

describe("@dttracker-dobbletap/sdk/verify", () => {
  it("bundles without zod or the contracts package, in at most 3 KB gzip", async () => {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      format: "esm",
      platform: "neutral",
      external: ["node:*"],
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((input) => /zod|contracts/.test(input))).toEqual([]);
    const code = result.outputFiles[0]!.contents;
    expect(new TextDecoder().decode(code)).not.toMatch(/\bzod\b/);
    expect(gzipSync(code).byteLength).toBeLessThanOrEqual(3 * 1024);
  });

  it("createVerifier from /verify accepts what the SDK's signer signs, and refuses a changed body", async () => {
    const secret = generateSecret();
    const body = '{"id":"e1"}';
    const headers = await createSigner(secret).headers("e1", body);
    await expect(createVerifier(secret).verify(headers, body)).resolves.toMatchObject({ id: "e1" });
    await expect(createVerifier(secret).verify(headers, `${body} `)).rejects.toMatchObject({ name: "SignatureError", reason: "no_valid_signature" });
  });
});

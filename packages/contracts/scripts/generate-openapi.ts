/**
 * Writes `openapi/*.yaml` and `openapi/json-schema/*.json` from the zod schemas.
 *   pnpm openapi           regenerate
 *   pnpm openapi --check   fail when the committed files differ from a fresh generation
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { currentSides, sideFiles } from "../src/compat/sides.js";
import { buildJsonSchemas, buildOpenApiDocuments } from "../src/openapi.js";
import { contractVersion } from "../src/version.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const outDir = join(root, "openapi");
const banner = "THIS FILE IS GENERATED from packages/contracts - DO NOT EDIT. Run `pnpm openapi`.";

const files = new Map<string, string>();
const documents = buildOpenApiDocuments();
for (const [party, document] of Object.entries(documents)) {
  files.set(join(outDir, `${party}.yaml`), `# ${banner}\n${stringify(document, { lineWidth: 0 })}`);
}
for (const [event, schema] of Object.entries(buildJsonSchemas())) {
  files.set(join(outDir, "json-schema", `${event}.schema.json`), `${JSON.stringify({ $comment: banner, ...schema }, null, 2)}\n`);
}

// Both sides of every message, so that a later `compat --from` this openapi/ compares the right pair.
const writeSchema = (file: string, schema: Record<string, unknown>) =>
  files.set(join(outDir, "json-schema", file), `${JSON.stringify({ $comment: banner, ...schema }, null, 2)}\n`);
const sides = currentSides(contractVersion);
for (const [event, { request, success }] of Object.entries(sides.events)) {
  for (const side of ["emitted", "accepted"] as const) {
    writeSchema(sideFiles.request(event, side), request[side]);
    writeSchema(sideFiles.success(event, side), success[side]);
  }
}
for (const side of ["emitted", "accepted"] as const) writeSchema(sideFiles.error(side), sides.error[side]);

if (process.argv.includes("--check")) {
  const stale = [...files].filter(([path, content]) => {
    try {
      return readFileSync(path, "utf8") !== content;
    } catch {
      return true;
    }
  });
  if (stale.length > 0) {
    console.error(`openapi: ${stale.length} generated file(s) are out of date:`);
    for (const [path] of stale) console.error(`  ${relative(root, path)}`);
    console.error("Run `pnpm openapi` and commit the result.");
    process.exit(1);
  }
  console.log(`openapi: ${files.size} generated files are current.`);
} else {
  for (const [path, content] of files) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
}

for (const [party, document] of Object.entries(documents)) {
  const paths = Object.keys(document.paths ?? {}).map((path) => `POST ${path}`);
  const webhooks = Object.keys(document.webhooks ?? {});
  console.log(`${party}: ${document.servers?.[0]?.url}\n  paths:    ${paths.join(", ")}\n  webhooks: ${webhooks.join(", ")}`);
}

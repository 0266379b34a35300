#!/usr/bin/env node
/**
 * `pnpm mock` / `npm run mock`: start the mock CLI of this checkout without a full build.
 *
 * - dist/cli.js newer than every source it is built from → run it as is (no build: ~0.3 s).
 * - otherwise → bundle src/cli.ts (and the workspace sources it imports) with esbuild into
 *   node_modules/.cache/mock-server/, written to a file of this process's own and renamed into place,
 *   so two starts at the same moment never see each other's half-written output; dist/ is never
 *   touched (tsup's `clean` used to race there).
 *
 * Plain JavaScript on purpose: no tsx, no pnpm run build on the start-up path.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const packages = ["contracts", "sdk", "mock-server"].map((name) => join(root, "packages", name));
const dist = join(root, "packages/mock-server/dist/cli.js");
// MOCK_SERVER_CACHE_DIR and MOCK_SERVER_FROM_SOURCE=1 (ignore dist/) are for this script's own tests.
const cached = join(process.env.MOCK_SERVER_CACHE_DIR || join(root, "node_modules/.cache/mock-server"), "cli.mjs");
const fromSource = process.env.MOCK_SERVER_FROM_SOURCE === "1";

/** The newest mtime under a source folder (tests included: cheap, and a false rebuild only costs ~1 s). */
function newest(path) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = 0;
  for (const entry of readdirSync(path)) max = Math.max(max, newest(join(path, entry)));
  return max;
}

const mtime = (path) => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
};

const sources = Math.max(...packages.flatMap((dir) => [newest(join(dir, "src")), mtime(join(dir, "package.json"))]));
let entry = dist;
if (fromSource || mtime(dist) < sources) {
  entry = cached;
  if (mtime(cached) < sources) {
    const { build } = await import("esbuild");
    const partial = `${cached}.${process.pid}.tmp`;
    mkdirSync(dirname(cached), { recursive: true });
    await build({
      entryPoints: [join(root, "packages/mock-server/src/cli.ts")],
      outfile: partial,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node22",
      conditions: ["@dttracker-dobbletap/source"],
      define: { __MOCK_SERVER_VERSION__: JSON.stringify(JSON.parse(readFileSync(join(root, "packages/mock-server/package.json"), "utf8")).version) },
      // commander is CommonJS: give its require() of node builtins a real require.
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
      logLevel: "error",
    });
    renameSync(partial, cached);
  }
}
await import(pathToFileURL(entry).href);

/**
 * Where the bench finds the code it measures. It measures the built packages (`dist`, what users
 * install), so `pnpm bench` builds first; and it reaches the SDK's devDependencies
 * (standardwebhooks, the reference it is compared with) through the SDK package, as pnpm does not
 * hoist them to the root.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const sdkDist = join(repoRoot, "packages/sdk/dist/index.js");
export const sdkNodeDist = join(repoRoot, "packages/sdk/dist/node.js");
export const contractsDist = join(repoRoot, "packages/contracts/dist/index.js");
export const mockServerDist = join(repoRoot, "packages/mock-server/dist/index.js");
export const mockCli = join(repoRoot, "packages/mock-server/dist/cli.js");
export const bareServerScript = join(repoRoot, "bench/servers/bare-server.mjs");

const sdkRequire = createRequire(join(repoRoot, "packages/sdk/package.json"));

/** Imports a package the way the SDK package resolves it (its devDependencies included). */
export async function importFromSdk<T>(specifier: string): Promise<T> {
  return (await import(pathToFileURL(sdkRequire.resolve(specifier)).href)) as T;
}

/** Imports a built workspace module by absolute path. */
export async function importDist<T>(path: string): Promise<T> {
  return (await import(pathToFileURL(path).href)) as T;
}

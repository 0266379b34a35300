import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { generateSecret } from "@dttracker-dobbletap/sdk";

/**
 * The mock's data folder: `--data-dir`, else `.mock-server/` in the working directory (the checkout
 * root under `pnpm mock`). Other files of the mock (its database) live here too.
 *
 * @example
 * ```ts
 * dataDirectory(undefined); // "/home/me/project/.mock-server"
 * ```
 */
export function dataDirectory(flag: string | undefined, cwd = process.cwd()): string {
  return resolve(cwd, flag ?? ".mock-server");
}

/** Where a development credential came from, for the start-up banner. */
export type CredentialSource = "flag" | "env" | "file" | "created";

/**
 * The development secret of one data folder: read from `<dir>/secret`, or generated once and kept
 * there (mode 0600), so every terminal of a checkout can keep one `export WEBHOOK_SECRET=…`. Two
 * starts at the same moment agree: the file is created exclusively (`wx`) and the loser reads the
 * winner's. The folder gets a `.gitignore` of `*` so the secret is never committed, wherever it is.
 *
 * A v1a key pair (contract v1.1) belongs beside it as `<dir>/signing-key` / `<dir>/verify-key`,
 * loaded the same way (see `devKeyPair` once the key flags land).
 *
 * @example
 * ```ts
 * const { secret, source } = devSecret(dataDirectory(undefined));
 * ```
 */
export function devSecret(dir: string): { secret: string; source: "file" | "created"; path: string } {
  const path = join(dir, "secret");
  const existing = readIfPresent(path);
  if (existing !== undefined) return { secret: existing, source: "file", path };
  ensureDataDirectory(dir);
  try {
    writeFileSync(path, `${generateSecret()}\n`, { flag: "wx", mode: 0o600 });
    return { secret: readFileSync(path, "utf8").trim(), source: "created", path };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    // Another start created it between our read and our write: use theirs.
    return { secret: waitForContent(path), source: "file", path };
  }
}

function readIfPresent(path: string): string | undefined {
  try {
    const text = readFileSync(path, "utf8").trim();
    return text === "" ? undefined : text;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** The creator writes right after its exclusive open; read until it has (bounded). */
function waitForContent(path: string): string {
  const until = Date.now() + 2_000;
  for (;;) {
    const text = readIfPresent(path);
    if (text !== undefined) return text;
    if (Date.now() > until) throw new Error(`${path} stayed empty: delete it and start again.`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
  }
}

/**
 * Creates the data folder with a `.gitignore` that ignores everything in it.
 *
 * @example
 * ```ts
 * ensureDataDirectory("/tmp/mock-data");
 * ```
 */
export function ensureDataDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true });
  try {
    writeFileSync(join(dir, ".gitignore"), "# Made by mock-server: its development secret and data, never committed.\n*\n", { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
}

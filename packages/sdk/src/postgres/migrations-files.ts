// Finds and reads the `.sql` migrations shipped in the package's `migrations/` folder, at run time,
// from wherever this module runs: dist/*.js, dist/*.cjs (tsup shims import.meta.url) or
// src/postgres/*.ts (tests, via the source condition); on Node (node:fs) or Deno (Deno.readTextFile).
import { DatabaseError } from "./database-error.js";

/** One migration file: its name without `.sql` (e.g. `0001_outbox`) and its SQL. */
export interface MigrationFile {
  name: string;
  sql: string;
}

interface Files {
  list(dir: URL): Promise<string[] | undefined>;
  read(file: URL): Promise<string>;
}

interface DenoFs {
  readDir(path: URL): AsyncIterable<{ name: string; isFile: boolean }>;
  readTextFile(path: URL): Promise<string>;
}

function files(): Files {
  const deno = (globalThis as { Deno?: DenoFs }).Deno;
  if (deno && typeof deno.readTextFile === "function") {
    return {
      async list(dir) {
        try {
          const names: string[] = [];
          for await (const entry of deno.readDir(dir)) if (entry.isFile) names.push(entry.name);
          return names;
        } catch {
          return undefined;
        }
      },
      read: (file) => deno.readTextFile(file),
    };
  }
  const getBuiltin = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  const fs = getBuiltin?.("node:fs/promises") as { readdir(path: URL): Promise<string[]>; readFile(path: URL, encoding: "utf8"): Promise<string> } | undefined;
  if (!fs) {
    throw new DatabaseError(
      "MIGRATIONS_NOT_FOUND",
      "migrate() reads the package's migrations/*.sql files, and this runtime has neither node:fs nor Deno's file API. " +
        "Apply the files with psql or `supabase migration` instead, or pass them as migrate(db, { files }).",
    );
  }
  return {
    async list(dir) {
      try {
        return await fs.readdir(dir);
      } catch {
        return undefined;
      }
    },
    read: (file) => fs.readFile(file, "utf8"),
  };
}

function directoryUrl(directory: string | URL): URL {
  const text = directory instanceof URL ? directory.href : directory;
  const withSlash = text.endsWith("/") ? text : `${text}/`;
  if (withSlash.startsWith("file:")) return new URL(withSlash);
  if (withSlash.startsWith("/")) return new URL(`file://${encodeURI(withSlash)}`);
  throw new DatabaseError("MIGRATIONS_NOT_FOUND", `migrate(db, { directory }) needs an absolute path or a file: URL, got "${text}".`);
}

// dist/<chunk>.js → ../migrations/; src/postgres/<file>.ts → ../../migrations/.
const candidates = ["../migrations/", "../../migrations/"];

/**
 * The package's migration files, in file-name order, or those in `directory` when given.
 *
 * @example
 * ```ts
 * const files = await readMigrationFiles();
 * files.map((file) => file.name); // ["0001_outbox", …]
 * ```
 */
export async function readMigrationFiles(directory?: string | URL): Promise<MigrationFile[]> {
  const fs = files();
  const dirs = directory !== undefined ? [directoryUrl(directory)] : candidates.map((relative) => new URL(relative, import.meta.url));
  for (const dir of dirs) {
    const names = await fs.list(dir);
    const sqlNames = names?.filter((name) => /^\d{4}_[a-z0-9_]+\.sql$/.test(name)).sort();
    if (!sqlNames || sqlNames.length === 0) continue;
    return Promise.all(sqlNames.map(async (name) => ({ name: name.slice(0, -4), sql: await fs.read(new URL(name, dir)) })));
  }
  throw new DatabaseError(
    "MIGRATIONS_NOT_FOUND",
    `migrate() found no NNNN_name.sql files in ${dirs.map((dir) => dir.href).join(" or ")}. ` +
      "The package ships them in its migrations/ folder; if a bundler dropped it, apply the files with psql or `supabase migration`, " +
      "or pass them as migrate(db, { files }).",
  );
}

// Starts a real PostgreSQL server for the tests that matter (and the benchmarks): Debian's server
// binaries, in a fresh temporary data directory, on a free loopback port. Postgres refuses to run as
// root, so as root it runs as the unprivileged `postgres` (or `nobody`) user. `.ci/run` installs the
// binaries when they are missing; a test that needs the server and finds none fails, never skips.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port.js";

export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`: the admin URL (trust auth, loopback only). */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /** Keep fsync and synchronous commit on, as a production server would (benchmarks). Default false. */
  durable?: boolean;
}

function findBinDir(): string {
  const fromEnv = process.env.PG_BIN;
  if (fromEnv && existsSync(join(fromEnv, "pg_ctl"))) return fromEnv;
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, "bin", "pg_ctl")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0] === undefined) {
    throw new Error(
      "PostgreSQL server binaries not found (looked for pg_ctl in $PG_BIN and /usr/lib/postgresql/*/bin). " +
        "Install them with `apt-get install postgresql` (bash .ci/run does this), or set TEST_DATABASE_URL to a server you run.",
    );
  }
  return join(root, versions[0], "bin");
}

function runAsUser(): string | undefined {
  if (userInfo().uid !== 0) return undefined;
  for (const name of ["postgres", "nobody"]) {
    if (spawnSync("id", ["-u", name]).status === 0) return name;
  }
  throw new Error("running as root and found neither a `postgres` nor a `nobody` user to run PostgreSQL as");
}

export async function startPostgresServer(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const bin = findBinDir();
  const user = runAsUser();
  const dataDir = mkdtempSync(join(tmpdir(), "webhook-kit-pg-"));
  chmodSync(dataDir, 0o700);
  if (user) {
    const uid = Number(execFileSync("id", ["-u", user]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", user]).toString().trim());
    chownSync(dataDir, uid, gid);
  }
  const run = (cmd: string, args: string[]) => {
    const [file, argv] = user ? ["runuser", ["-u", user, "--", join(bin, cmd), ...args]] : [join(bin, cmd), args];
    const result = spawnSync(file as string, argv as string[], { encoding: "utf8", timeout: 60_000 });
    if (result.status !== 0) {
      throw new Error(`${cmd} failed (exit ${result.status}): ${result.stderr || result.stdout}`);
    }
  };
  run("initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"]);
  const port = await freePort();
  const settings = [
    `-p ${port}`,
    "-c listen_addresses=127.0.0.1",
    `-c unix_socket_directories=${dataDir}`,
    "-c max_connections=300",
    ...(options.durable ? [] : ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]),
  ].join(" ");
  run("pg_ctl", ["-D", dataDir, "-l", join(dataDir, "server.log"), "-o", settings, "-w", "-t", "60", "start"]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      try {
        run("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

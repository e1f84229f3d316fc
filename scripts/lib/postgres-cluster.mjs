// Starts and stops a throwaway PostgreSQL cluster from the local binaries (Debian: /usr/lib/postgresql/N/bin).
// Used by `pnpm test`, the rehearsal and the benchmarks. PostgreSQL refuses to run as root, so as root the
// server runs as the `postgres` OS user.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, chownSync, chmodSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function findPgBin() {
  if (process.env.PG_BIN && existsSync(join(process.env.PG_BIN, "initdb"))) return process.env.PG_BIN;
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0], "bin") : null;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Returns { url, stop, restart, dataDir, port } for a superuser connection to a fresh cluster. */
/** `fromData`: a copy of that data directory (a saved cluster, stopped) instead of a fresh initdb. */
export async function startCluster({ pgBin = findPgBin(), extraConfig = [], fromData = null } = {}) {
  if (!pgBin) throw new Error("PostgreSQL binaries not found (apt-get install -y postgresql)");
  const base = mkdtempSync(join(tmpdir(), "sb-pg-"));
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(base, uid, gid);
  }
  chmodSync(base, 0o700);
  const run = (cmd, args) =>
    asRoot
      ? execFileSync("runuser", ["-u", "postgres", "--", join(pgBin, cmd), ...args], { stdio: "pipe" })
      : execFileSync(join(pgBin, cmd), args, { stdio: "pipe" });
  const data = join(base, "data");
  if (fromData) execFileSync("cp", ["-a", fromData, data]);
  else run("initdb", ["-D", data, "-U", "postgres", "--auth-local=trust", "--auth-host=trust", "-E", "UTF8", "--no-locale", "--no-sync"]);
  const opts = [
    `-c listen_addresses=127.0.0.1 -p ${port} -k ${base} -c fsync=off -c synchronous_commit=off`,
    "-c full_page_writes=off -c max_connections=300 -c shared_buffers=256MB",
    ...extraConfig,
  ].join(" ");
  const start = () => run("pg_ctl", ["-D", data, "-l", join(base, "log"), "-w", "-t", "30", "-o", opts, "start"]);
  const stopServer = (mode = "fast") => run("pg_ctl", ["-D", data, "-m", mode, "-w", "stop"]);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir: data,
    logFile: join(base, "log"),
    stopServer,
    start,
    stop() {
      try {
        stopServer("immediate");
      } catch {
        // already stopped
      }
      rmSync(base, { recursive: true, force: true });
    },
  };
}

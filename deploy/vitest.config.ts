import { defineConfig } from "vitest/config";

// vitest 5 declares Node 22 but runs on Node 20, except its error reporter calls Map.groupBy (Node 21+):
// without this a failing test crashes the reporter and hides the failure. Remove once CI runs Node 22.
if (typeof (Map as { groupBy?: unknown }).groupBy !== "function") {
  Object.defineProperty(Map, "groupBy", {
    configurable: true,
    writable: true,
    value<K, V>(items: Iterable<V>, keyOf: (item: V, index: number) => K): Map<K, V[]> {
      const groups = new Map<K, V[]>();
      let index = 0;
      for (const item of items) {
        const key = keyOf(item, index++);
        const group = groups.get(key);
        if (group) group.push(item);
        else groups.set(key, [item]);
      }
      return groups;
    },
  });
}

// Chart checks shell out to helm; the first run also unzips it (≈1 s), so allow generous timeouts.
export default defineConfig({
  test: {
    include: ["helm/**/tests/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    globalSetup: ["helm/switchboard/tests/helpers/global-setup.ts"],
  },
});

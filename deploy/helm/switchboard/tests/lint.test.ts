// `helm lint --strict` with every values file under ci/ (warnings fail too).
import { basename } from "node:path";
import { describe, expect, it } from "vitest";
import { ciValuesFiles } from "../../../scripts/helm.mjs";
import { lint } from "./helpers/chart.js";

describe("helm lint --strict", () => {
  const files = ciValuesFiles().map((f) => basename(f));

  it("covers the four ci values files", () => {
    expect(files).toEqual(["default-values.yaml", "external-db-values.yaml", "minimal-values.yaml", "production-values.yaml"]);
  });

  it.each(files)("passes with ci/%s", async (file) => {
    const result = await lint({ files: [file] });
    expect(result.output).toContain("0 chart(s) failed");
    expect(result.status, result.output).toBe(0);
  });
});

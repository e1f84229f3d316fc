// Types for helm.mjs, imported by the chart tests.
export declare const chartDir: string;
export declare function ensureHelm(): Promise<string>;
export declare function runHelm(
  helm: string,
  args: string[],
  options?: { cwd?: string },
): { status: number; stdout: string; stderr: string };
export declare function ciValuesFiles(): string[];

/**
 * Reads a tRPC router's definition the way the OpenAPI document needs it: every procedure by path with its type,
 * input schema, meta and the named middlewares it runs. These are tRPC's internal `_def` fields as found in
 * @trpc/server 11.22.1 (the workspace's pinned version); after an upgrade, openapi/document.test.ts fails here
 * first if one has moved.
 */
import type { AnyTRPCRouter } from "@trpc/server";
import type { Meta } from "../../trpc";

export type ProcedureType = "query" | "mutation" | "subscription";

/** A middleware as tRPC stores it: a function of `{ ctx, next, ... }`, named after its step (`requireSession`). */
export type Step = (opts: { ctx: unknown; next: () => Promise<unknown> }) => Promise<unknown> | unknown;

export interface ProcedureDef {
  path: string;
  type: ProcedureType;
  /** The `.input()` schema (zod in this codebase), or null for a procedure that takes none. */
  input: unknown;
  meta: Meta | undefined;
  steps: readonly Step[];
}

interface InternalProcedureDef {
  type: ProcedureType;
  inputs: unknown[];
  meta?: Meta;
  middlewares: Step[];
}

/** Every procedure of `router`, in the router's order, with nested routers flattened to dotted paths. */
export function proceduresOf(router: AnyTRPCRouter): ProcedureDef[] {
  const procedures = router._def.procedures as Record<string, { _def: InternalProcedureDef }>;
  return Object.entries(procedures).map(([path, procedure]) => {
    const def = procedure._def;
    if (def.inputs.length > 1) throw new Error(`${path}: chained .input() calls are not described (merge them into one schema)`);
    return { path, type: def.type, input: def.inputs[0] ?? null, meta: def.meta, steps: def.middlewares };
  });
}

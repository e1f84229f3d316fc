/**
 * The API's router type for clients, built from the flattened contract (contract.ts) with tRPC's own procedure and
 * router types, so `createTRPCClient<AppRouter>` and `inferRouterInputs/Outputs` work as they do in the workspace.
 * The server's context and procedure metadata are not part of it: a client never sees them.
 */
import type {
  inferRouterInputs,
  inferRouterOutputs,
  TRPCBuiltRouter,
  TRPCMutationProcedure,
  TRPCQueryProcedure,
  TRPCSubscriptionProcedure,
} from "@trpc/server";
import type { contract } from "./contract.js";

type Contract = typeof contract;

interface ProcedureShape {
  $procedure: "query" | "mutation" | "subscription";
  input: unknown;
  output: unknown;
}
type Def<P extends ProcedureShape> = { input: P["input"]; output: P["output"]; meta: object };
type ProcedureOf<P extends ProcedureShape> = P["$procedure"] extends "query"
  ? TRPCQueryProcedure<Def<P>>
  : P["$procedure"] extends "mutation"
    ? TRPCMutationProcedure<Def<P>>
    : TRPCSubscriptionProcedure<Def<P>>;
type RecordOf<C> = { [K in keyof C]: C[K] extends ProcedureShape ? ProcedureOf<C[K]> : RecordOf<C[K]> };

/** Switchboard's API as tRPC sees it from a client: pass it to `createTRPCClient<AppRouter>` or React Query. */
export type AppRouter = TRPCBuiltRouter<
  { ctx: object; meta: object; errorShape: Contract["errorShape"]; transformer: false },
  RecordOf<Contract["procedures"]>
>;
/** Every procedure's input, e.g. `RouterInputs["calls"]["list"]`. */
export type RouterInputs = inferRouterInputs<AppRouter>;
/** Every procedure's output as it arrives (dates as ISO strings), e.g. `RouterOutputs["calls"]["list"]["items"][number]`. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;

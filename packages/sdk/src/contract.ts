/**
 * Build-time only: the server's router (`AppRouter` of @switchboard/trpc) rewritten as plain object types, so the
 * published declarations name nothing of the server — no Drizzle table, zod schema or workspace package, whose
 * types an outsider's install does not have. `tsc` writes the inferred type of `contract` out in full because
 * every step below is a conditional type (a resolved conditional keeps no alias name to print) and every object
 * is rebuilt from its keys without a homomorphic mapping (so the printer cannot fall back on the server's own
 * annotations, e.g. `Tenant["tier"]` from @switchboard/db).
 *
 * Edit here when a procedure's input or output uses a kind of type these rules do not flatten yet: the build
 * (build.mjs) fails when a declaration imports anything but @trpc/*, and test/contract.test.ts fails when a
 * procedure's input or output differs from the server's.
 */
import type { AppRouter as ServerRouter } from "@switchboard/trpc";
import type { AnyTRPCProcedure, inferTransformedProcedureOutput } from "@trpc/server";

type ServerRoot = ServerRouter["_def"]["_config"]["$types"];

type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
type OptionalKeys<T> = Exclude<keyof T, RequiredKeys<T>>;
/** One object from the two halves below (no `A & B` in what users see). */
type Merged<T> = T extends object ? { [K in keyof T]: T[K] } : never;

/** `T` written out as object literals, arrays and primitives. Outputs arrive already as JSON (dates as strings). */
type Plain<T> = T extends Date | ((...args: never[]) => unknown)
  ? T
  : T extends AsyncIterable<infer Y, infer R, infer N>
    ? AsyncIterable<Plain<Y>, Plain<R>, Plain<N>>
    : T extends readonly unknown[]
      ? { [K in keyof T]: Plain<T[K]> }
      : T extends object
        ? Merged<{ [K in RequiredKeys<T>]: Plain<T[K]> } & { [K in OptionalKeys<T>]?: Plain<T[K]> }>
        : T;

/** A procedure: its kind, its input and its output as a client receives it (no transformer: JSON). */
interface ProcedureShape<P extends AnyTRPCProcedure> {
  $procedure: P["_def"]["type"];
  input: Plain<P["_def"]["$types"]["input"]>;
  output: Plain<inferTransformedProcedureOutput<ServerRoot, P>>;
}
type Shape<R> = R extends object
  ? { [K in keyof R as K]: R[K] extends AnyTRPCProcedure ? Flattened<ProcedureShape<R[K]>> : Shape<R[K]> }
  : never;
type Flattened<T> = T extends object ? { [K in keyof T as K]: T[K] } : never;

declare function contractOf<TRecord, TErrorShape>(): { procedures: Shape<TRecord>; errorShape: Plain<TErrorShape> };

/** Every procedure of the API with its input and output, and the error shape. Only its type is used. */
export const contract = contractOf<ServerRouter["_def"]["record"], ServerRoot["errorShape"]>();

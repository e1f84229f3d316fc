/**
 * Value lists of the API's enums, for selects and filters. Their types come from the database enum through
 * `RouterOutputs`/`RouterInputs`; a list is the keys of the record that gives each value its label or tone, and that
 * record is typed `Record<Enum, …>`, so the compiler proves it names exactly the database's values (a value
 * missing or extra fails `pnpm typecheck`). No value list is written out anywhere else in the dashboard.
 */
export function enumValues<V extends string>(treatment: Record<V, unknown>): V[] {
  return Object.keys(treatment) as V[];
}

import { humanize } from "../../lib/format";

/** The `<option>`s of a select over an enum's values (from engagement-meta), labelled by `label` (default: humanized). */
export function EnumOptions<V extends string>({ values, label = humanize }: { values: readonly V[]; label?: (v: V) => string }) {
  return values.map((v) => (
    <option key={v} value={v}>
      {label(v)}
    </option>
  ));
}

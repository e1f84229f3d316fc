import { CopyButton } from "../../components/ui/copy-button";

/** The recovery codes, shown once after MFA is turned on, with one button that copies them all. */
export function RecoveryCodes({ codes }: { codes: readonly string[] }) {
  return (
    <div className="space-y-3">
      <ul
        aria-label="Recovery codes"
        className="grid grid-cols-2 gap-x-6 gap-y-1 rounded-md bg-slate-900 px-4 py-3 font-mono text-sm text-slate-100"
      >
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
      <CopyButton value={codes.join("\n")} label="Copy all codes" />
    </div>
  );
}

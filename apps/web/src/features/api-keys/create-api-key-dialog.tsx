import { type FormEvent, useState } from "react";
import { Button } from "../../components/ui/button";
import { CopyField } from "../../components/ui/copy-button";
import { Dialog, DialogActions } from "../../components/ui/dialog";
import { Field, FormError } from "../../components/ui/field";
import { Input } from "../../components/ui/input";
import { Select } from "../../components/ui/select";
import { formErrors } from "../../lib/errors";
import { roles } from "../../lib/roles";
import type { RouterInputs } from "../../lib/trpc";

type CreateApiKeyValues = RouterInputs["apiKeys"]["create"];
type ApiKeyRole = CreateApiKeyValues["role"];
/** Days until the key stops working: the API refuses keys without an end or more than 366 days ahead. */
type Expiry = "7" | "30" | "90" | "365";

/** A key acts with any role but owner. */
const apiKeyRoles = roles.filter((r): r is ApiKeyRole => r !== "owner");

/** The expiry to send for a choice in the form (days from `now`). */
export function expiresAtFor(choice: Expiry, now: Date = new Date()): string {
  return new Date(now.getTime() + Number(choice) * 86_400_000).toISOString();
}

/**
 * Creating a key. The key is kept only in this dialog's state while it is open and dropped when it closes: the
 * API stores a hash and can never show it again.
 */
export function CreateApiKeyDialog({
  open,
  onOpenChange,
  create,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  create: (values: CreateApiKeyValues) => Promise<{ key: string }>;
}) {
  const [name, setName] = useState("");
  const [role, setRole] = useState<ApiKeyRole>("agent");
  const [expiry, setExpiry] = useState<Expiry>("90");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [key, setKey] = useState<string | null>(null);
  const errors = formErrors(error, ["name", "role", "expiresAt"] as const);

  function close(next: boolean) {
    if (next) return onOpenChange(true);
    // Forget the key and the form the moment the dialog closes.
    setKey(null);
    setName("");
    setRole("agent");
    setExpiry("90");
    setError(null);
    onOpenChange(false);
  }

  /** Never rejects (a failure goes to the form's state), so the form's handler calls it with `void`. */
  async function submit(e: FormEvent) {
    e.preventDefault();
    setPending(true);
    setError(null);
    try {
      const created = await create({ name, role, expiresAt: expiresAtFor(expiry) });
      setKey(created.key);
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  }

  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title={key ? "Your new API key" : "Create an API key"}
      description={key ? undefined : "Keys act inside this tenant only, with the role you choose."}
      wide={key !== null}
    >
      {key ? (
        <div className="space-y-4">
          <p role="status" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200 ring-inset">
            Copy this key now. It is shown only once: Switchboard keeps only a hash of it.
          </p>
          <CopyField value={key} label="API key" testId="new-api-key" />
          <p className="text-xs text-slate-600">
            Send it as <code className="rounded bg-slate-100 px-1">Authorization: Bearer …</code>.
          </p>
          <DialogActions>
            <Button onClick={() => close(false)}>I have copied it</Button>
          </DialogActions>
        </div>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate className="space-y-4" aria-label="Create API key">
          <FormError message={errors.form} />
          <Field label="Name" error={errors.fields.name} hint="Where it is used, e.g. “CRM sync”.">
            <Input name="name" value={name} onChange={(e) => setName(e.target.value)} />
          </Field>
          <Field label="Role" error={errors.fields.role}>
            <Select name="role" value={role} onChange={(e) => setRole(e.target.value as ApiKeyRole)}>
              {apiKeyRoles.map((r) => (
                <option key={r} value={r}>
                  {r[0]!.toUpperCase() + r.slice(1)}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Expires" error={errors.fields.expiresAt}>
            <Select name="expiry" value={expiry} onChange={(e) => setExpiry(e.target.value as Expiry)}>
              <option value="7">In 7 days</option>
              <option value="30">In 30 days</option>
              <option value="90">In 90 days</option>
              <option value="365">In a year</option>
            </Select>
          </Field>
          <DialogActions>
            <Button variant="secondary" onClick={() => close(false)}>
              Cancel
            </Button>
            <Button type="submit" pending={pending}>
              Create key
            </Button>
          </DialogActions>
        </form>
      )}
    </Dialog>
  );
}

import { useState } from "react";
import { Button } from "../../components/ui/button";
import { DialogActions } from "../../components/ui/dialog";
import { Field, FormError } from "../../components/ui/field";
import { Textarea } from "../../components/ui/select";
import { formErrors } from "../../lib/errors";

export const REASON_MAX = 500;

/** Why a tenant is suspended: its members read this on the suspended page, so it is written for them. */
export function SuspendForm({
  tenantName,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  tenantName: string;
  pending: boolean;
  error: unknown;
  onSubmit: (reason: string) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState("");
  const [empty, setEmpty] = useState(false);
  const errors = formErrors(error, ["reason"] as const);
  return (
    <form
      aria-label="Suspend tenant"
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        const text = reason.trim();
        setEmpty(!text);
        if (text) onSubmit(text);
      }}
    >
      <FormError message={errors.form} />
      <Field
        label="Reason"
        hint={`Shown to the members of ${tenantName}. At most ${REASON_MAX} characters.`}
        error={empty ? "Say why: the members read it." : errors.fields.reason}
      >
        <Textarea rows={3} maxLength={REASON_MAX} value={reason} onChange={(e) => setReason(e.target.value)} />
      </Field>
      <DialogActions>
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" variant="danger" pending={pending}>
          Suspend {tenantName}
        </Button>
      </DialogActions>
    </form>
  );
}

import { type FormEvent, useState } from "react";
import { Button } from "../../components/ui/button";
import { Dialog, DialogActions } from "../../components/ui/dialog";
import { Field, FormError } from "../../components/ui/field";
import { Input } from "../../components/ui/input";
import { errorMessage } from "../../lib/errors";

/**
 * The last step of an erasure: what goes, and the contact's address typed in full (copying a word is too easy to do
 * without reading). Erasure cannot be undone, so the button stays off until the text matches.
 */
export function EraseContactDialog({
  open,
  onOpenChange,
  confirmText,
  summary,
  onConfirm,
  pending,
  error,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** What the owner types: the contact's e-mail address or phone number as shown. */
  confirmText: string;
  /** Their rows, in words ("2 conversations, 5 messages, …"). */
  summary: string;
  onConfirm: () => void;
  pending: boolean;
  error: unknown;
}) {
  const [typed, setTyped] = useState("");
  const matches = typed.trim() === confirmText;
  function submit(e: FormEvent) {
    e.preventDefault();
    if (matches) onConfirm();
  }
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => (o || setTyped(""), onOpenChange(o))}
      title="Erase this contact?"
      description="Their name, e-mail, phone and handles, the texts of their conversations (notes included), call transcripts and lead details are deleted for good. Counts stay for analytics."
    >
      <form noValidate aria-label="Erase contact" onSubmit={submit} className="space-y-4">
        <p className="text-sm text-slate-700">{summary}</p>
        <FormError message={error ? errorMessage(error) : null} />
        <Field label={`Type ${confirmText} to confirm`}>
          <Input value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} />
        </Field>
        <DialogActions>
          <Button variant="secondary" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" variant="danger" pending={pending} disabled={!matches}>
            Erase for good
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

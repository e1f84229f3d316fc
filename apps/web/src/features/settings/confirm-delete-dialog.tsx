import { Button } from "../../components/ui/button";
import { Dialog, DialogActions } from "../../components/ui/dialog";
import { ErrorState } from "../../components/ui/states";
import { errorMessage } from "../../lib/errors";

/** "Delete X?" with what deleting does; the delete button names the thing, the server's refusal shows inline. */
export function ConfirmDeleteDialog({
  open,
  title,
  description,
  action,
  pending,
  error,
  onConfirm,
  onClose,
}: {
  open: boolean;
  title: string;
  description: string;
  action: string;
  pending: boolean;
  error: unknown;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <Dialog open={open} onOpenChange={(o) => !o && onClose()} title={title} description={description}>
      {error ? <ErrorState title="Could not delete" message={errorMessage(error)} /> : null}
      <DialogActions>
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button variant="danger" pending={pending} onClick={onConfirm}>
          {action}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

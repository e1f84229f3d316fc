import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Button } from "../../components/ui/button";
import { Dialog, DialogActions } from "../../components/ui/dialog";
import { Field, FormError } from "../../components/ui/field";
import { Input } from "../../components/ui/input";
import { formErrors } from "../../lib/errors";
import { formatDate } from "../../lib/format";
import { currentHost, hostUrl } from "../../lib/host";
import { useTRPC } from "../../lib/trpc";

const DAY_MS = 86_400_000;

/** When an archive started now would be purged: `graceDays` from `now`. */
export function purgeDate(graceDays: number, now = Date.now()): string {
  return new Date(now + graceDays * DAY_MS).toISOString();
}

/**
 * Owners archive the tenant: members lose access at once, and after the grace period a job deletes the tenant and all
 * its data for good. Until then Switchboard's platform admins can restore it. The slug is typed to confirm.
 */
export function ArchiveSection({ slug, graceDays, isDepartment }: { slug: string; graceDays: number; isDepartment: boolean }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const [confirm, setConfirm] = useState("");
  const archive = useMutation(trpc.tenant.archive.mutationOptions());
  const errors = formErrors(archive.error, ["confirmSlug"] as const);
  const what = isDepartment ? "department" : "tenant";

  function submit(e: FormEvent) {
    e.preventDefault();
    archive.mutate({ confirmSlug: confirm.trim() });
  }

  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-700">
        Members lose access immediately{isDepartment ? "" : ", departments included"}. After {graceDays} days — on{" "}
        <strong className="font-semibold text-slate-900">{formatDate(purgeDate(graceDays))}</strong> if you archive today — the {what} and all its
        data are deleted for good. Until then a platform administrator can restore it unchanged. Export what you want to keep first.
      </p>
      <Button variant="danger" onClick={() => (archive.reset(), setConfirm(""), setOpen(true))}>
        Archive {what}…
      </Button>
      <Dialog
        open={open}
        // Once archived there is nothing left here to go back to: the dialog stays until the person leaves.
        onOpenChange={(o) => archive.isSuccess || setOpen(o)}
        title={archive.isSuccess ? `The ${what} is archived` : `Archive this ${what}?`}
        description={archive.isSuccess ? undefined : `Type ${slug} to confirm.`}
      >
        {archive.isSuccess ? (
          <div className="space-y-4">
            <p role="status" className="text-sm text-slate-800">
              Its data will be deleted on <strong className="font-semibold">{formatDate(archive.data.purgeAfter)}</strong>. Until then a platform
              administrator can restore it unchanged: ask whoever runs your Switchboard.
            </p>
            <DialogActions>
              <Button onClick={() => window.location.assign(hostUrl(null, currentHost))}>Go to your tenants</Button>
            </DialogActions>
          </div>
        ) : (
          <form noValidate aria-label={`Archive ${what}`} onSubmit={submit} className="space-y-4">
            <FormError message={errors.form} />
            <Field label={`${isDepartment ? "Department" : "Tenant"} address`} error={errors.fields.confirmSlug}>
              <Input value={confirm} onChange={(e) => setConfirm(e.target.value)} autoComplete="off" spellCheck={false} />
            </Field>
            <DialogActions>
              <Button variant="secondary" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" variant="danger" pending={archive.isPending} disabled={confirm.trim() !== slug}>
                Archive
              </Button>
            </DialogActions>
          </form>
        )}
      </Dialog>
    </div>
  );
}

import { useEffect, useState } from "react";
import { Button } from "../../components/ui/button";
import { CopyField } from "../../components/ui/copy-button";
import { Dialog, DialogActions } from "../../components/ui/dialog";
import { ErrorState, Loading } from "../../components/ui/states";
import { errorMessage } from "../../lib/errors";
import type { RouterOutputs } from "../../lib/trpc";
import { MfaCodeForm } from "../auth/mfa-code-form";
import { QrCode } from "./qr-code";
import { RecoveryCodes } from "./recovery-codes";

type Setup = RouterOutputs["auth"]["mfa"]["setup"];
type Enabled = RouterOutputs["auth"]["mfa"]["enable"];

type Step = { kind: "loading" } | { kind: "failed"; error: unknown } | { kind: "scan"; setup: Setup } | { kind: "codes"; codes: Enabled["recoveryCodes"] };

/**
 * Turning on two-factor authentication: a new secret (QR code and the text for manual entry), a code from the app
 * to prove it was saved, then the recovery codes, shown this once. The secret and the codes live only in this
 * dialog's state and are dropped when it closes.
 */
export function MfaSetupDialog({
  open,
  onOpenChange,
  setup,
  enable,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  setup: () => Promise<Setup>;
  enable: (code: string) => Promise<Enabled>;
}) {
  const [step, setStep] = useState<Step>({ kind: "loading" });
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  // A new secret each time the dialog opens (an abandoned one is never enabled), and on "Try again".
  useEffect(() => {
    if (!open) return;
    let live = true;
    setStep({ kind: "loading" });
    setup().then(
      (s) => live && setStep({ kind: "scan", setup: s }),
      (err: unknown) => live && setStep({ kind: "failed", error: err }),
    );
    return () => {
      live = false;
    };
    // `setup` is a new function on every render of the parent; only opening (or retrying) asks for a secret.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, attempt]);

  function close(next: boolean) {
    if (next) return onOpenChange(true);
    setStep({ kind: "loading" });
    setError(null);
    onOpenChange(false);
  }

  async function confirm(code: string) {
    setPending(true);
    setError(null);
    try {
      const result = await enable(code);
      setStep({ kind: "codes", codes: result.recoveryCodes });
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
      title={step.kind === "codes" ? "Save your recovery codes" : "Set up two-factor authentication"}
      wide
    >
      {step.kind === "loading" && <Loading label="Creating your secret…" />}
      {step.kind === "failed" && <ErrorState title="Could not start the setup" message={errorMessage(step.error)} onRetry={() => setAttempt((n) => n + 1)} />}
      {step.kind === "scan" && (
        <div className="space-y-5">
          <ol className="list-decimal space-y-1 pl-5 text-sm text-slate-700">
            <li>Scan the QR code with an authenticator app (1Password, Google Authenticator, Authy, …).</li>
            <li>Or type the secret into the app by hand.</li>
            <li>Enter the 6-digit code the app shows.</li>
          </ol>
          <div className="flex flex-wrap items-start gap-5">
            <QrCode value={step.setup.otpauthUrl} label="QR code for your authenticator app" />
            <div className="min-w-0 flex-1 space-y-2">
              <p className="text-sm font-medium text-slate-800">Secret</p>
              <CopyField value={step.setup.secret} label="Secret for manual entry" testId="mfa-secret" />
            </div>
          </div>
          <MfaCodeForm
            submitLabel="Turn on two-factor authentication"
            label="Code from the app"
            allowRecoveryCode={false}
            onSubmit={(code) => void confirm(code)}
            pending={pending}
            error={error}
          />
        </div>
      )}
      {step.kind === "codes" && (
        <div className="space-y-4">
          <p role="status" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200 ring-inset">
            Two-factor authentication is on. Keep these codes somewhere safe: each signs you in once if you lose your device.
            They are shown only now.
          </p>
          <RecoveryCodes codes={step.codes} />
          <DialogActions>
            <Button onClick={() => close(false)}>I have saved them</Button>
          </DialogActions>
        </div>
      )}
    </Dialog>
  );
}

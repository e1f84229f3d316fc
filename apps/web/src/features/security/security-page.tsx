import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Card, CardTitle } from "../../components/ui/card";
import { Dialog } from "../../components/ui/dialog";
import { ListStates, LoadMore } from "../../components/ui/list-states";
import { PageHeader } from "../../components/ui/page-header";
import { ErrorState } from "../../components/ui/states";
import { Table, TBody, Td, Th, THead, Tr } from "../../components/ui/table";
import { cursorPages } from "../../lib/cursor-pages";
import { errorMessage } from "../../lib/errors";
import { formatDateTime, humanize } from "../../lib/format";
import { type RouterOutputs, useTRPC, useTRPCClient } from "../../lib/trpc";
import { MfaCodeForm } from "../auth/mfa-code-form";
import { NewPasswordForm } from "../auth/new-password-form";
import { MfaSetupDialog } from "./mfa-setup-dialog";

/** The account's own security (any host): sessions, two-factor authentication and the security log. */
export function SecurityPage() {
  return (
    <div className="space-y-8">
      <PageHeader title="Security" description="Your account, on every tenant: where you are signed in, two-factor authentication, and what happened." />
      <TwoFactor />
      <ChangePassword />
      <Sessions />
      <SecurityLog />
    </div>
  );
}

/** A table section's title row: heading (labels the section), one line of context, an optional action. */
function SectionHeading({ id, title, description, action }: { id: string; title: string; description: string; action?: ReactNode }) {
  return (
    <div className="mb-3 flex flex-wrap items-end justify-between gap-3">
      <div>
        <h2 id={id} className="text-lg font-semibold text-slate-900">
          {title}
        </h2>
        <p className="text-sm text-slate-600">{description}</p>
      </div>
      {action}
    </div>
  );
}

function TwoFactor() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const me = useQuery(trpc.auth.me.queryOptions());
  const [settingUp, setSettingUp] = useState(false);
  const [disabling, setDisabling] = useState(false);
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.auth.securityLog.infiniteQueryKey() }),
    ]);
  const disable = useMutation(
    trpc.auth.mfa.disable.mutationOptions({
      onSuccess: async () => {
        setDisabling(false);
        await refresh();
      },
    }),
  );
  const enabled = me.data?.user.mfaEnabled ?? false;
  return (
    <Card>
      <CardTitle description="A code from an authenticator app, asked for after your password.">
        <span className="flex items-center gap-3">
          Two-factor authentication
          {me.data && (
            <Badge tone={enabled ? "good" : "warn"} className="text-xs">
              {enabled ? "On" : "Off"}
            </Badge>
          )}
        </span>
      </CardTitle>
      {enabled ? (
        <div className="flex flex-wrap items-center justify-between gap-4">
          <p className="text-sm text-slate-600">Signing in asks for a code from your app, or one of your recovery codes.</p>
          <Button
            variant="secondary"
            onClick={() => {
              disable.reset();
              setDisabling(true);
            }}
          >
            Turn off
          </Button>
        </div>
      ) : (
        <div className="flex flex-wrap items-center justify-between gap-4">
          <p className="text-sm text-slate-600">Protect your account with a second step; some tenants require it.</p>
          <Button onClick={() => setSettingUp(true)}>Set up two-factor authentication</Button>
        </div>
      )}

      <MfaSetupDialog
        open={settingUp}
        onOpenChange={(open) => {
          setSettingUp(open);
          if (!open) void refresh();
        }}
        setup={() => client.auth.mfa.setup.mutate()}
        enable={(code) => client.auth.mfa.enable.mutate({ code })}
      />

      <Dialog
        open={disabling}
        onOpenChange={setDisabling}
        title="Turn off two-factor authentication?"
        description="Your password alone will sign you in again. Tenants that require two-factor authentication will refuse you."
      >
        <MfaCodeForm
          submitLabel="Turn off two-factor authentication"
          onSubmit={(code) => disable.mutate({ code })}
          pending={disable.isPending}
          error={disable.error}
        />
      </Dialog>
    </Card>
  );
}

function ChangePassword() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [done, setDone] = useState(0);
  const change = useMutation(
    trpc.auth.changePassword.mutationOptions({
      onSuccess: async () => {
        setDone((n) => n + 1);
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.auth.sessions.infiniteQueryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.auth.securityLog.infiniteQueryKey() }),
        ]);
      },
    }),
  );
  return (
    <Card>
      <CardTitle description="Changing it signs out every other session.">Password</CardTitle>
      <div className="max-w-md">
        {/* A new key empties the form after each change. */}
        <NewPasswordForm
          key={done}
          askCurrent
          saved={done > 0 && change.isSuccess}
          pending={change.isPending}
          error={change.error}
          onSubmit={({ password, currentPassword }) => change.mutate({ currentPassword: currentPassword ?? "", newPassword: password })}
        />
      </div>
    </Card>
  );
}

function Sessions() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const client = useTRPCClient();
  const input = { limit: 50 };
  const sessions = useInfiniteQuery(cursorPages(trpc.auth.sessions.infiniteQueryKey(input), input, (i) => client.auth.sessions.query(i)));
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.auth.sessions.infiniteQueryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.auth.securityLog.infiniteQueryKey() }),
    ]);
  const revoke = useMutation(trpc.auth.revokeSession.mutationOptions({ onSettled: refresh }));
  const everywhere = useMutation(
    trpc.auth.signOutEverywhere.mutationOptions({
      onSuccess: () => setNotice("Every other session has been signed out."),
      onSettled: refresh,
    }),
  );
  const items = sessions.data?.pages.flatMap((p) => p.items) ?? [];
  const others = items.filter((s) => !s.current).length;
  return (
    <section aria-labelledby="sessions-heading">
      <SectionHeading
        id="sessions-heading"
        title="Sessions"
        description="Browsers signed in to your account."
        action={
          <Button
            variant="secondary"
            disabled={others === 0}
            pending={everywhere.isPending}
            onClick={() => {
              setNotice(null);
              everywhere.mutate();
            }}
          >
            Sign out everywhere else
          </Button>
        }
      />
      {notice && (
        <p role="status" className="mb-3 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 ring-1 ring-emerald-200 ring-inset">
          {notice}
        </p>
      )}
      <Card className="p-0">
        {(revoke.isError || everywhere.isError) && (
          <div className="p-4">
            <ErrorState title="Could not sign out that session" message={errorMessage(revoke.error ?? everywhere.error)} />
          </div>
        )}
        <ListStates
          query={sessions}
          isEmpty={items.length === 0}
          skeleton={{ rows: 2, columns: 5, label: "Loading sessions…" }}
          errorTitle="Could not load your sessions"
          empty={<>No sessions.</>}
        >
          <Table label="Sessions">
            <THead>
              <tr>
                <Th>Browser</Th>
                <Th>IP address</Th>
                <Th>Signed in</Th>
                <Th>Last seen</Th>
                <Th className="text-right">Actions</Th>
              </tr>
            </THead>
            <TBody>
              {items.map((s) => (
                <Tr key={s.id}>
                  <Td className="max-w-72 truncate text-slate-900" title={s.userAgent ?? undefined}>
                    {s.userAgent ?? "Unknown browser"}
                    {s.current && (
                      <Badge tone="brand" className="ml-2">
                        This browser
                      </Badge>
                    )}
                  </Td>
                  <Td className="whitespace-nowrap">{s.ip ?? "—"}</Td>
                  <Td className="whitespace-nowrap">{formatDateTime(s.createdAt)}</Td>
                  <Td className="whitespace-nowrap">{formatDateTime(s.lastSeenAt)}</Td>
                  <Td className="text-right">
                    {!s.current && (
                      <Button
                        variant="danger-ghost"
                        aria-label={`Sign out session ${s.userAgent ?? s.id}`}
                        pending={revoke.isPending && revoke.variables?.id === s.id}
                        onClick={() => revoke.mutate({ id: s.id })}
                      >
                        Sign out
                      </Button>
                    )}
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </ListStates>
      </Card>
      <LoadMore query={sessions} />
    </section>
  );
}

type SecurityEvent = RouterOutputs["auth"]["securityLog"]["items"][number]["event"];

const eventLabels: Partial<Record<SecurityEvent, string>> = {
  signed_in: "Signed in",
  sign_in_failed: "Failed sign-in",
  mfa_code_failed: "Wrong two-factor code",
  signed_out: "Signed out",
  password_changed: "Password changed",
  password_reset_requested: "Password reset requested",
  password_reset: "Password reset",
  email_verified: "Email address verified",
  mfa_enabled: "Two-factor authentication turned on",
  mfa_disabled: "Two-factor authentication turned off",
  recovery_code_used: "Recovery code used",
  session_revoked: "Session signed out",
  signed_out_everywhere: "Signed out everywhere else",
};

const failures = new Set<SecurityEvent>(["sign_in_failed", "mfa_code_failed"]);

function SecurityLog() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const input = { limit: 20 };
  const log = useInfiniteQuery(cursorPages(trpc.auth.securityLog.infiniteQueryKey(input), input, (i) => client.auth.securityLog.query(i)));
  const items = log.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="security-log-heading">
      <SectionHeading
        id="security-log-heading"
        title="Security log"
        description="Sign-ins, failed attempts, password and two-factor changes, sessions ended."
      />
      <Card className="p-0">
        <ListStates
          query={log}
          isEmpty={items.length === 0}
          skeleton={{ rows: 4, columns: 4, label: "Loading the security log…" }}
          errorTitle="Could not load the security log"
          empty={<>Nothing yet.</>}
        >
          <Table label="Security log">
            <THead>
              <tr>
                <Th>When</Th>
                <Th>Event</Th>
                <Th>IP address</Th>
                <Th>Browser</Th>
              </tr>
            </THead>
            <TBody>
              {items.map((e, i) => (
                <Tr key={`${e.at}-${i}`}>
                  <Td className="whitespace-nowrap">{formatDateTime(e.at)}</Td>
                  <Td className="font-medium text-slate-900">
                    {failures.has(e.event) ? <Badge tone="bad">{eventLabels[e.event] ?? humanize(e.event)}</Badge> : (eventLabels[e.event] ?? humanize(e.event))}
                  </Td>
                  <Td className="whitespace-nowrap">{e.ip ?? "—"}</Td>
                  <Td className="max-w-72 truncate" title={e.userAgent ?? undefined}>
                    {e.userAgent ?? "—"}
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </ListStates>
      </Card>
      <LoadMore query={log} />
    </section>
  );
}

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge, type BadgeTone } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Card } from "../../components/ui/card";
import { ListStates } from "../../components/ui/list-states";
import { CopyField } from "../../components/ui/copy-button";
import { Dialog, DialogActions } from "../../components/ui/dialog";
import { PageHeader } from "../../components/ui/page-header";
import { Select } from "../../components/ui/select";
import { ErrorState } from "../../components/ui/states";
import { Table, TBody, Td, Th, THead, Tr } from "../../components/ui/table";
import { errorMessage } from "../../lib/errors";
import { type Role, usePermissions } from "../../lib/roles";
import { useTRPC } from "../../lib/trpc";
import { AddMemberForm, grantableRoles } from "./add-member-form";

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

export function MembersPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const perms = usePermissions();
  const tenant = useQuery(trpc.tenant.current.queryOptions());
  const members = useQuery(trpc.members.list.queryOptions({ limit: 100 }));
  const me = useQuery(trpc.auth.me.queryOptions());
  const [adding, setAdding] = useState(false);
  const [inviteLink, setInviteLink] = useState<{ email: string; link: string } | null>(null);
  const [removing, setRemoving] = useState<{ email: string; name: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.members.list.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.invitations.list.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.tenant.current.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.tenants.list.queryKey() }),
    ]);

  const add = useMutation(
    trpc.members.add.mutationOptions({
      onSuccess: async (result, input) => {
        await refresh();
        setAdding(false);
        if (result.status === "invited" && result.invitation) setInviteLink({ email: input.email, link: result.invitation.link });
        else setNotice(`${input.email} was added.`);
      },
    }),
  );
  const updateRole = useMutation(trpc.members.updateRole.mutationOptions({ onSettled: refresh }));
  const remove = useMutation(
    trpc.members.remove.mutationOptions({
      onSuccess: async (_r, input) => {
        await refresh();
        setRemoving(null);
        setNotice(`${input.email} was removed.`);
      },
    }),
  );

  const t = tenant.data;
  return (
    <div className="space-y-8">
      <PageHeader
        title="Members"
        description={
          <span data-testid="member-count" className="inline-block min-w-40">
            {t ? `${t.memberCount} of ${t.maxUsers} seats used` : "\u00a0"}
          </span>
        }
        actions={
          perms.canAdmin && (
            <Button
              onClick={() => {
                add.reset();
                setAdding(true);
              }}
            >
              Add member
            </Button>
          )
        }
      />
      {notice && (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 ring-1 ring-emerald-200 ring-inset">
          {notice}
        </p>
      )}

      <Card className="p-0">
        {updateRole.isError && (
          <div className="p-4">
            <ErrorState title="Could not change the role" message={errorMessage(updateRole.error)} />
          </div>
        )}
        <ListStates
          query={members}
          isEmpty={(members.data?.items ?? []).length === 0}
          skeleton={{ columns: 4, label: "Loading members…" }}
          errorTitle="Could not load the members"
          empty={<>No direct members. People reach this department through its organisation.</>}
        >
          <Table label="Members">
            <THead>
              <tr>
                <Th>Name</Th>
                <Th>Email</Th>
                <Th>Role</Th>
                <Th>Joined</Th>
                {perms.canAdmin && <Th className="text-right">Actions</Th>}
              </tr>
            </THead>
            <TBody>
              {(members.data?.items ?? []).map((m) => {
                const isSelf = m.userId === me.data?.user.id;
                // Only owners touch the owner role (the API refuses otherwise).
                const editable = perms.canAdmin && (perms.isOwner || m.role !== "owner");
                return (
                  <Tr key={m.userId}>
                    <Td className="font-medium text-slate-900">
                      {m.name}
                      {isSelf && <span className="ml-2 text-xs font-normal text-slate-500">(you)</span>}
                    </Td>
                    <Td>{m.email}</Td>
                    <Td>
                      {editable ? (
                        <Select
                          aria-label={`Role of ${m.name}`}
                          className="w-32 py-1.5"
                          value={m.role}
                          disabled={updateRole.isPending}
                          onChange={(e) => updateRole.mutate({ userId: m.userId, role: e.target.value as Role })}
                        >
                          {grantableRoles(perms.isOwner).map((r) => (
                            <option key={r} value={r}>
                              {r[0]!.toUpperCase() + r.slice(1)}
                            </option>
                          ))}
                        </Select>
                      ) : (
                        <Badge tone={m.role === "owner" ? "brand" : "neutral"} className="capitalize">
                          {m.role}
                        </Badge>
                      )}
                    </Td>
                    <Td className="whitespace-nowrap">{dateFormat.format(new Date(m.joinedAt))}</Td>
                    {perms.canAdmin && (
                      <Td className="text-right">
                        {editable && (
                          <Button
                            variant="danger-ghost"
                            aria-label={`Remove ${m.name}`}
                            onClick={() => {
                              remove.reset();
                              setRemoving({ email: m.email, name: m.name });
                            }}
                          >
                            Remove
                          </Button>
                        )}
                      </Td>
                    )}
                  </Tr>
                );
              })}
            </TBody>
          </Table>
        </ListStates>
      </Card>

      {perms.canAdmin && <Invitations onChange={refresh} />}

      <Dialog open={adding} onOpenChange={setAdding} title="Add a member" description="Existing users join right away; others get an invitation.">
        <AddMemberForm
          isOwner={perms.isOwner}
          onSubmit={(v) => {
            setNotice(null);
            add.mutate(v);
          }}
          onCancel={() => setAdding(false)}
          pending={add.isPending}
          error={add.error}
        />
      </Dialog>

      <Dialog
        open={inviteLink !== null}
        onOpenChange={(open) => !open && setInviteLink(null)}
        title="Invitation created"
        description={inviteLink ? `We emailed ${inviteLink.email}. You can also send them this link; it works once, for 7 days.` : undefined}
        wide
      >
        {inviteLink && <CopyField value={inviteLink.link} label="Invitation link" testId="invitation-link" />}
        <DialogActions>
          <Button onClick={() => setInviteLink(null)}>Done</Button>
        </DialogActions>
      </Dialog>

      <Dialog
        open={removing !== null}
        onOpenChange={(open) => !open && setRemoving(null)}
        title="Remove member?"
        description={removing ? `${removing.name} (${removing.email}) loses access to this tenant and its departments.` : undefined}
      >
        {remove.isError && <ErrorState title="Could not remove" message={errorMessage(remove.error)} />}
        <DialogActions>
          <Button variant="secondary" onClick={() => setRemoving(null)}>
            Cancel
          </Button>
          <Button variant="danger" pending={remove.isPending} onClick={() => removing && remove.mutate({ email: removing.email })}>
            Remove
          </Button>
        </DialogActions>
      </Dialog>
    </div>
  );
}

const invitationTone: Record<string, BadgeTone> = { pending: "info", accepted: "good", revoked: "neutral", expired: "warn" };

function Invitations({ onChange }: { onChange: () => Promise<unknown> }) {
  const trpc = useTRPC();
  const invitations = useQuery(trpc.invitations.list.queryOptions({ limit: 50 }));
  const revoke = useMutation(trpc.invitations.revoke.mutationOptions({ onSettled: onChange }));
  return (
    <section aria-labelledby="invitations-heading">
      <h2 id="invitations-heading" className="mb-3 text-lg font-semibold text-slate-900">
        Invitations
      </h2>
      <Card className="p-0">
        {revoke.isError && (
          <div className="p-4">
            <ErrorState title="Could not revoke the invitation" message={errorMessage(revoke.error)} />
          </div>
        )}
        <ListStates
          query={invitations}
          isEmpty={(invitations.data?.items ?? []).length === 0}
          skeleton={{ rows: 2, columns: 4, label: "Loading invitations…" }}
          errorTitle="Could not load the invitations"
          empty={<>No invitations yet.</>}
        >
          <Table label="Invitations">
            <THead>
              <tr>
                <Th>Email</Th>
                <Th>Role</Th>
                <Th>Status</Th>
                <Th>Expires</Th>
                <Th className="text-right">Actions</Th>
              </tr>
            </THead>
            <TBody>
              {(invitations.data?.items ?? []).map((i) => (
                <Tr key={i.id}>
                  <Td className="font-medium text-slate-900">{i.email}</Td>
                  <Td className="capitalize">{i.role}</Td>
                  <Td>
                    <Badge tone={invitationTone[i.status] ?? "neutral"} className="capitalize">
                      {i.status}
                    </Badge>
                  </Td>
                  <Td className="whitespace-nowrap">{dateFormat.format(new Date(i.expiresAt))}</Td>
                  <Td className="text-right">
                    {i.status === "pending" && (
                      <Button
                        variant="danger-ghost"
                        aria-label={`Revoke invitation for ${i.email}`}
                        pending={revoke.isPending && revoke.variables?.id === i.id}
                        onClick={() => revoke.mutate({ id: i.id })}
                      >
                        Revoke
                      </Button>
                    )}
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </ListStates>
      </Card>
    </section>
  );
}

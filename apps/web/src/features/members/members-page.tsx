import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Card } from "../../components/ui/card";
import { ListStates } from "../../components/ui/list-states";
import { Dialog, DialogActions } from "../../components/ui/dialog";
import { PageHeader } from "../../components/ui/page-header";
import { Select } from "../../components/ui/select";
import { ErrorState } from "../../components/ui/states";
import { Table, TBody, Td, Th, THead, Tr } from "../../components/ui/table";
import { errorMessage } from "../../lib/errors";
import { formatDate } from "../../lib/format";
import { type Role, usePermissions } from "../../lib/roles";
import { useTRPC } from "../../lib/trpc";
import { AddMemberForm, grantableRoles } from "./add-member-form";

const capitalize = (r: string) => r[0]!.toUpperCase() + r.slice(1);

/**
 * Members of this tenant and, for admins, the people invited and not yet joined ("invited" rows, revocable). Adding
 * someone only ever invites them (CONTRACT.md members.add): they join when they accept the mailed link.
 */
export function MembersPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const perms = usePermissions();
  const tenant = useQuery(trpc.tenant.current.queryOptions());
  const members = useQuery(trpc.members.list.queryOptions({ limit: 100 }));
  const invitations = useQuery({ ...trpc.invitations.list.queryOptions({ limit: 100 }), enabled: perms.canAdmin });
  const me = useQuery(trpc.auth.me.queryOptions());
  const [adding, setAdding] = useState(false);
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
      onSuccess: async (_result, input) => {
        await refresh();
        setAdding(false);
        setNotice(`We emailed an invitation to ${input.email}. They join when they accept it.`);
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
  const revoke = useMutation(
    trpc.invitations.revoke.mutationOptions({
      onSuccess: (_r, input) => {
        const email = invited.find((i) => i.id === input.id)?.email;
        setNotice(email ? `The invitation for ${email} was revoked.` : "The invitation was revoked.");
      },
      onSettled: refresh,
    }),
  );

  const t = tenant.data;
  const invited = (invitations.data?.items ?? []).filter((i) => i.status === "pending");
  const rows = members.data?.items ?? [];
  const listError = updateRole.error ?? revoke.error;
  return (
    <div className="space-y-8">
      <PageHeader
        title="Members"
        description={
          <span data-testid="member-count" className="inline-block min-w-40">
            {t
              ? `${t.memberCount + invited.length} of ${t.maxUsers} seats used${invited.length ? ` (${invited.length} invited)` : ""}`
              : "\u00a0"}
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
              Invite member
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
        {listError && (
          <div className="p-4">
            <ErrorState title={updateRole.error ? "Could not change the role" : "Could not revoke the invitation"} message={errorMessage(listError)} />
          </div>
        )}
        <ListStates
          query={members}
          isEmpty={rows.length === 0 && invited.length === 0}
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
              {rows.map((m) => {
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
                              {capitalize(r)}
                            </option>
                          ))}
                        </Select>
                      ) : (
                        <Badge tone={m.role === "owner" ? "brand" : "neutral"} className="capitalize">
                          {m.role}
                        </Badge>
                      )}
                    </Td>
                    <Td className="whitespace-nowrap">{formatDate(m.joinedAt)}</Td>
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
              {invited.map((i) => (
                <Tr key={i.id} data-testid="invited-row">
                  <Td>
                    <Badge tone="info">Invited</Badge>
                  </Td>
                  <Td>{i.email}</Td>
                  <Td className="capitalize">{i.role}</Td>
                  <Td className="whitespace-nowrap text-slate-500">Link expires {formatDate(i.expiresAt)}</Td>
                  <Td className="text-right">
                    <Button
                      variant="danger-ghost"
                      aria-label={`Revoke invitation for ${i.email}`}
                      pending={revoke.isPending && revoke.variables?.id === i.id}
                      onClick={() => {
                        setNotice(null);
                        revoke.mutate({ id: i.id });
                      }}
                    >
                      Revoke
                    </Button>
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </ListStates>
      </Card>

      <Dialog open={adding} onOpenChange={setAdding} title="Invite a member" description="We email them a link. They join with this role when they accept it.">
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

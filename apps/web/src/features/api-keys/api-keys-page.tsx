import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Card } from "../../components/ui/card";
import { ListStates } from "../../components/ui/list-states";
import { Dialog, DialogActions } from "../../components/ui/dialog";
import { PageHeader } from "../../components/ui/page-header";
import { Empty, ErrorState } from "../../components/ui/states";
import { Table, TBody, Td, Th, THead, Tr } from "../../components/ui/table";
import { errorMessage } from "../../lib/errors";
import { usePermissions } from "../../lib/roles";
import { useTRPC, useTRPCClient } from "../../lib/trpc";
import { CreateApiKeyDialog } from "./create-api-key-dialog";

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const when = (iso: string | null, none: string) => (iso ? dateFormat.format(new Date(iso)) : none);

function keyState(k: { revokedAt: string | null; expiresAt: string | null }): { label: string; tone: "good" | "neutral" | "warn" } {
  if (k.revokedAt) return { label: "Revoked", tone: "neutral" };
  if (k.expiresAt && new Date(k.expiresAt).getTime() <= Date.now()) return { label: "Expired", tone: "warn" };
  return { label: "Active", tone: "good" };
}

export function ApiKeysPage() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const perms = usePermissions();
  const keys = useQuery({ ...trpc.apiKeys.list.queryOptions({ limit: 100 }), enabled: perms.canAdmin });
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<{ id: string; name: string } | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() });
  const revoke = useMutation(
    trpc.apiKeys.revoke.mutationOptions({
      onSuccess: async () => {
        await refresh();
        setRevoking(null);
      },
    }),
  );

  if (!perms.loading && !perms.canAdmin) {
    return (
      <>
        <PageHeader title="API keys" />
        <Empty>Only admins and owners manage API keys.</Empty>
      </>
    );
  }

  return (
    <div>
      <PageHeader
        title="API keys"
        description="For integrations and scripts calling the Switchboard API for this tenant."
        actions={<Button onClick={() => setCreating(true)}>Create API key</Button>}
      />
      <Card className="p-0">
        <ListStates
          query={keys}
          isEmpty={(keys.data?.items ?? []).length === 0}
          skeleton={{ columns: 5, label: "Loading API keys…" }}
          errorTitle="Could not load the API keys"
          empty={<>No API keys yet.</>}
        >
          <Table label="API keys">
            <THead>
              <tr>
                <Th>Name</Th>
                <Th>Key</Th>
                <Th>Role</Th>
                <Th>Status</Th>
                <Th>Last used</Th>
                <Th>Expires</Th>
                <Th className="text-right">Actions</Th>
              </tr>
            </THead>
            <TBody>
              {(keys.data?.items ?? []).map((k) => {
                const state = keyState(k);
                return (
                  <Tr key={k.id}>
                    <Td className="font-medium text-slate-900">{k.name}</Td>
                    <Td>
                      <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs">{k.prefix}…</code>
                    </Td>
                    <Td className="capitalize">{k.role}</Td>
                    <Td>
                      <Badge tone={state.tone}>{state.label}</Badge>
                    </Td>
                    <Td className="whitespace-nowrap">{when(k.lastUsedAt, "Never")}</Td>
                    <Td className="whitespace-nowrap">{when(k.expiresAt, "Never")}</Td>
                    <Td className="text-right">
                      {!k.revokedAt && (
                        <Button variant="danger-ghost" aria-label={`Revoke ${k.name}`} onClick={() => setRevoking({ id: k.id, name: k.name })}>
                          Revoke
                        </Button>
                      )}
                    </Td>
                  </Tr>
                );
              })}
            </TBody>
          </Table>
        </ListStates>
      </Card>

      <CreateApiKeyDialog
        open={creating}
        onOpenChange={setCreating}
        create={async (values) => {
          const created = await client.apiKeys.create.mutate(values);
          await refresh();
          return created;
        }}
      />

      <Dialog
        open={revoking !== null}
        onOpenChange={(open) => {
          if (!open) {
            setRevoking(null);
            revoke.reset();
          }
        }}
        title="Revoke API key?"
        description={revoking ? `Requests with “${revoking.name}” stop working immediately. This cannot be undone.` : undefined}
      >
        {revoke.isError && <ErrorState title="Could not revoke" message={errorMessage(revoke.error)} />}
        <DialogActions>
          <Button variant="secondary" onClick={() => setRevoking(null)}>
            Cancel
          </Button>
          <Button variant="danger" pending={revoke.isPending} onClick={() => revoking && revoke.mutate({ id: revoking.id })}>
            Revoke key
          </Button>
        </DialogActions>
      </Dialog>
    </div>
  );
}

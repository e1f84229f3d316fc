import { keepPreviousData, useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { Button } from "../../components/ui/button";
import { Card } from "../../components/ui/card";
import { Dialog } from "../../components/ui/dialog";
import { Input } from "../../components/ui/input";
import { ListStates, LoadMore } from "../../components/ui/list-states";
import { PageHeader } from "../../components/ui/page-header";
import { Table, TBody, Td, Th, THead, Tr } from "../../components/ui/table";
import { cursorPages } from "../../lib/cursor-pages";
import { formatDate } from "../../lib/format";
import { usePermissions } from "../../lib/roles";
import { useTRPC, useTRPCClient } from "../../lib/trpc";
import { ContactForm } from "./contact-form";
import { contactName } from "./contact-name";
import { useDebounced } from "./use-debounced";

/** Everyone the tenant has talked to, across channels and calls; searched by name, e-mail, phone or handle. */
export function ContactsPage() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const perms = usePermissions();
  const [q, setQ] = useState("");
  const search = useDebounced(q.trim(), 250);
  const input = search ? { q: search, limit: 25 } : { limit: 25 };
  const contacts = useInfiniteQuery({
    ...cursorPages(trpc.contacts.list.infiniteQueryKey(input), input, (i) => client.contacts.list.query(i)),
    // The last results stay on screen while the next search runs.
    placeholderData: keepPreviousData,
  });
  const items = contacts.data?.pages.flatMap((p) => p.items) ?? [];
  const [creating, setCreating] = useState(false);
  const create = useMutation(
    trpc.contacts.create.mutationOptions({
      onSuccess: async (c) => {
        await queryClient.invalidateQueries({ queryKey: trpc.contacts.list.pathKey() });
        setCreating(false);
        await navigate({ to: "/contacts/$contactId", params: { contactId: c.id } });
      },
    }),
  );

  return (
    <div>
      <PageHeader
        title="Contacts"
        description="Your customers, each with every handle they reached you from."
        actions={
          perms.canWrite && (
            <Button onClick={() => (create.reset(), setCreating(true))}>New contact</Button>
          )
        }
      />
      <form role="search" aria-label="Search contacts" onSubmit={(e) => e.preventDefault()} className="mb-4">
        <label htmlFor="contacts-search" className="sr-only">
          Search contacts
        </label>
        <Input
          id="contacts-search"
          type="search"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder="Search by name, e-mail, phone or handle"
          autoComplete="off"
          className="sm:max-w-md"
        />
      </form>
      <Card className="p-0">
        <ListStates
          query={contacts}
          isEmpty={items.length === 0}
          skeleton={{ rows: 8, columns: 4, label: "Loading contacts…" }}
          errorTitle="Could not load the contacts"
          empty={search ? `No contact matches “${search}”.` : "No contacts yet. They appear with the first conversation, call or lead."}
        >
          <Table label="Contacts">
            <THead>
              <tr>
                <Th>Name</Th>
                <Th>Email</Th>
                <Th>Phone</Th>
                <Th>Since</Th>
              </tr>
            </THead>
            <TBody>
              {items.map((c) => (
                <Tr key={c.id}>
                  <Td>
                    <Link to="/contacts/$contactId" params={{ contactId: c.id }} className="font-medium text-slate-900 hover:text-brand hover:underline">
                      {contactName(c)}
                    </Link>
                  </Td>
                  <Td>{c.email ?? "—"}</Td>
                  <Td className="whitespace-nowrap tabular-nums">{c.phone ?? "—"}</Td>
                  <Td className="whitespace-nowrap">{formatDate(c.createdAt)}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </ListStates>
      </Card>
      <LoadMore query={contacts} />
      <Dialog open={creating} onOpenChange={setCreating} title="New contact">
        {creating && (
          <ContactForm
            contact={null}
            pending={create.isPending}
            error={create.error}
            onCreate={(v) => create.mutate(v)}
            onCancel={() => setCreating(false)}
          />
        )}
      </Dialog>
    </div>
  );
}

import { skipToken, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Field } from "../../components/ui/field";
import { Input } from "../../components/ui/input";
import { Select } from "../../components/ui/select";
import { Skeleton } from "../../components/ui/skeleton";
import { ErrorState } from "../../components/ui/states";
import { errorCode, errorMessage } from "../../lib/errors";
import { formatDateTime } from "../../lib/format";
import { type RouterInputs, type RouterOutputs, useTRPC } from "../../lib/trpc";
import { EraseContactDialog } from "./erase-contact-dialog";

type FindInput = RouterInputs["privacy"]["findContact"];
type Found = RouterOutputs["privacy"]["findContact"];
type Erased = RouterOutputs["privacy"]["eraseContact"]["erased"];
type By = "email" | "phone";

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

/** A contact's rows in words: "2 conversations, 5 messages, 1 call, 0 leads". */
export function rowSummary(c: { engagements: number; messages: number; calls: number; leads: number }): string {
  return [count(c.engagements, "conversation"), count(c.messages, "message"), count(c.calls, "call"), count(c.leads, "lead")].join(", ");
}

/**
 * A person asks to be forgotten: find them by the e-mail address or phone number they gave, see what the tenant
 * holds about them, and (owners) erase it. Admins may look; only owners erase.
 */
export function EraseContactSection({ canErase }: { canErase: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [by, setBy] = useState<By>("email");
  const [value, setValue] = useState("");
  const [search, setSearch] = useState<FindInput | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [erased, setErased] = useState<Erased | null>(null);
  const found = useQuery({ ...trpc.privacy.findContact.queryOptions(search ?? skipToken), staleTime: 0 });
  const erase = useMutation(
    trpc.privacy.eraseContact.mutationOptions({
      onSuccess: async (result) => {
        setErased(result.erased);
        setConfirming(false);
        // Conversations, contacts, calls and leads on every screen now read "erased".
        await queryClient.invalidateQueries();
      },
    }),
  );

  function find(e: FormEvent) {
    e.preventDefault();
    const v = value.trim();
    if (!v) return;
    erase.reset();
    setErased(null);
    setSearch(by === "email" ? { email: v } : { phone: v });
  }

  return (
    <div className="space-y-5">
      <form role="search" aria-label="Find a contact to erase" onSubmit={find} className="flex flex-wrap items-end gap-3">
        <div className="w-36">
          <Field label="Find by">
            <Select value={by} onChange={(e) => setBy(e.target.value as By)}>
              <option value="email">E-mail</option>
              <option value="phone">Phone</option>
            </Select>
          </Field>
        </div>
        <div className="min-w-0 flex-1 basis-56">
          <Field label={by === "email" ? "E-mail address" : "Phone number"}>
            <Input
              type={by === "email" ? "email" : "tel"}
              autoComplete="off"
              value={value}
              onChange={(e) => setValue(e.target.value)}
              placeholder={by === "email" ? "name@example.com" : "+44 20 7946 0000"}
            />
          </Field>
        </div>
        <Button type="submit" variant="secondary" pending={found.isFetching}>
          Find contact
        </Button>
      </form>

      {erased && (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900 ring-1 ring-emerald-200 ring-inset">
          Erased: {rowSummary(erased)}. The contact now reads “Erased” everywhere.
        </p>
      )}
      {search !== null && !erased && (
        <FoundContact
          query={found}
          canErase={canErase}
          onErase={() => (erase.reset(), setConfirming(true))}
        />
      )}
      {found.data && (
        <EraseContactDialog
          key={found.data.contact.id}
          open={confirming}
          onOpenChange={setConfirming}
          confirmText={found.data.contact.email ?? found.data.contact.phone ?? found.data.contact.id}
          summary={`${rowSummary(found.data.counts)} are removed or anonymised.`}
          pending={erase.isPending}
          error={erase.error}
          onConfirm={() => erase.mutate({ contactId: found.data.contact.id, confirm: true })}
        />
      )}
    </div>
  );
}

function FoundContact({
  query,
  canErase,
  onErase,
}: {
  query: { isPending: boolean; isError: boolean; error: unknown; data: Found | undefined };
  canErase: boolean;
  onErase: () => void;
}) {
  if (query.isPending) return <Skeleton className="h-24 w-full" />;
  if (query.isError) {
    if (errorCode(query.error) === "NOT_FOUND") {
      return <p role="status" className="text-sm text-slate-700">No contact in this tenant has that address.</p>;
    }
    return <ErrorState title="Could not look the contact up" message={errorMessage(query.error)} />;
  }
  const { contact, counts } = query.data!;
  return (
    <section aria-label="Contact found" className="space-y-3 rounded-lg px-4 py-3 ring-1 ring-slate-200">
      <div className="flex flex-wrap items-center gap-2">
        <Link to="/contacts/$contactId" params={{ contactId: contact.id }} className="font-medium text-slate-900 hover:underline">
          {contact.erasedAt ? "Erased contact" : (contact.name ?? contact.email ?? contact.phone ?? "Unnamed contact")}
        </Link>
        {contact.erasedAt && <Badge tone="neutral">Erased {formatDateTime(contact.erasedAt)}</Badge>}
      </div>
      {!contact.erasedAt && (
        <dl className="grid grid-cols-[6rem_1fr] gap-y-1 text-sm">
          <dt className="text-slate-600">E-mail</dt>
          <dd className="break-all text-slate-900">{contact.email ?? "—"}</dd>
          <dt className="text-slate-600">Phone</dt>
          <dd className="text-slate-900 tabular-nums">{contact.phone ?? "—"}</dd>
        </dl>
      )}
      <p className="text-sm text-slate-700" data-testid="erase-counts">
        {rowSummary(counts)}
      </p>
      {canErase && !contact.erasedAt && (
        <Button variant="danger" onClick={onErase}>
          Erase contact…
        </Button>
      )}
      {!canErase && !contact.erasedAt && <p className="text-xs text-slate-600">Only owners erase contacts.</p>}
    </section>
  );
}

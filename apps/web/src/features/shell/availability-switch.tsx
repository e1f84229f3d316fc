import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId } from "react";
import { cn } from "../../components/ui/cn";
import { enumValues } from "../../lib/enums";
import { errorMessage } from "../../lib/errors";
import { type RouterInputs, useTRPC, useTRPCClient } from "../../lib/trpc";

type Status = RouterInputs["availability"]["set"]["status"];

const statusLook: Record<Status, { label: string; dot: string }> = {
  online: { label: "Online", dot: "bg-emerald-500" },
  away: { label: "Away", dot: "bg-amber-500" },
  offline: { label: "Offline", dot: "bg-slate-400" },
};
const statuses = enumValues(statusLook);

/**
 * The signed-in agent's availability in this tenant (round-robin routing gives new conversations to those online).
 * Read from availability.list (the caller's row; members of a parent organisation acting in a department have none,
 * and see no switch), changed with availability.set.
 */
export function AvailabilitySwitch({ userId }: { userId: string }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const id = useId();
  const key = [...trpc.availability.list.pathKey(), { userId }];
  const mine = useQuery({
    queryKey: key,
    queryFn: async (): Promise<Status | null> => {
      let cursor: string | undefined;
      do {
        const page = await client.availability.list.query(cursor ? { limit: 100, cursor } : { limit: 100 });
        const row = page.items.find((r) => r.userId === userId);
        if (row) return row.status;
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return null;
    },
  });
  const set = useMutation(
    trpc.availability.set.mutationOptions({
      onSuccess: (row) => queryClient.setQueryData(key, row.status),
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.availability.list.pathKey() }),
    }),
  );
  if (!mine.data) return null;
  const status = set.isPending ? set.variables.status : mine.data;
  return (
    <div className="flex items-center gap-2">
      {/* Phones: the word alone, so the header fits 390 px. */}
      <span aria-hidden="true" className={cn("hidden size-2.5 rounded-full sm:block", statusLook[status].dot)} />
      <label htmlFor={id} className="sr-only">
        Your availability
      </label>
      <select
        id={id}
        value={status}
        disabled={set.isPending}
        onChange={(e) => set.mutate({ status: e.target.value as Status })}
        className="rounded-md border-0 bg-transparent py-1 pr-7 pl-1 text-sm font-medium text-slate-700 ring-1 ring-transparent ring-inset hover:ring-slate-300 focus:ring-2 focus:ring-brand focus:outline-none"
      >
        {statuses.map((s) => (
          <option key={s} value={s}>
            {statusLook[s].label}
          </option>
        ))}
      </select>
      {set.isError && (
        <span role="alert" className="max-w-48 truncate text-xs text-red-700" title={errorMessage(set.error)}>
          {errorMessage(set.error)}
        </span>
      )}
    </div>
  );
}

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { ListStates } from "../../components/ui/list-states";
import { ErrorState } from "../../components/ui/states";
import { errorMessage } from "../../lib/errors";
import { formatBytes, formatDate, formatDateTime } from "../../lib/format";
import { useTRPC } from "../../lib/trpc";
import {
  type DataExport,
  downloadable,
  exportKindLabel,
  exportsInFlight,
  exportStatusLabel,
  exportStatusTone,
  formatRows,
} from "./export-meta";
import { NewExportForm } from "./new-export-form";

/** While an export is written, its row counts up: the list is asked again this often. */
const POLL_MS = 2000;

const describeKinds = (e: Pick<DataExport, "kinds">) => e.kinds.map((k) => exportKindLabel[k]).join(", ");

/** Admins take the tenant's data out: start an export, watch it run, download the file (a link valid 15 minutes). */
export function ExportsSection() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const exports = useQuery({
    ...trpc.exports.list.queryOptions({ limit: 20 }),
    staleTime: 0,
    refetchInterval: (q) => (exportsInFlight(q.state.data?.items ?? []) ? POLL_MS : false),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.exports.list.queryKey() });
  const create = useMutation(trpc.exports.create.mutationOptions({ onSuccess: refresh }));
  const download = useMutation(
    trpc.exports.download.mutationOptions({
      // The link answers with Content-Disposition: attachment, so the browser saves the file and the page stays.
      onSuccess: ({ url }) => window.location.assign(url),
    }),
  );
  const items = exports.data?.items ?? [];

  return (
    <div className="space-y-6">
      <NewExportForm pending={create.isPending} error={create.error} onSubmit={(v) => create.mutate(v)} />
      <div className="border-t border-slate-100 pt-5">
        <h3 className="mb-3 text-sm font-semibold text-slate-900">Recent exports</h3>
        <ListStates
          query={exports}
          isEmpty={items.length === 0}
          skeleton={{ rows: 2, columns: 3, label: "Loading exports…" }}
          errorTitle="Could not load the exports"
          empty="No exports yet. Files are kept for 7 days."
        >
          <ul aria-label="Exports" className="divide-y divide-slate-100 rounded-lg ring-1 ring-slate-200">
            {items.map((e) => {
              const name = `${describeKinds(e)} (${e.format.toUpperCase()}) of ${formatDateTime(e.createdAt)}`;
              return (
                <li key={e.id} data-export-status={e.status} className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2 px-4 py-3">
                  <div className="min-w-0 flex-1 basis-56">
                    <p className="font-medium text-slate-900">
                      {describeKinds(e)} <span className="text-xs font-normal text-slate-600">· {e.format.toUpperCase()}</span>
                    </p>
                    <p className="text-xs text-slate-600">
                      {formatDateTime(e.createdAt)} by {e.requestedBy} · {formatRows(e.rows)} · {formatBytes(e.bytes)}
                      {e.status === "ready" && ` · kept until ${formatDate(e.expiresAt)}`}
                    </p>
                    {e.status === "failed" && e.error && <p className="mt-1 text-xs text-red-700">{e.error}</p>}
                  </div>
                  <Badge tone={exportStatusTone[e.status]}>{exportStatusLabel[e.status]}</Badge>
                  {downloadable(e) ? (
                    <Button
                      variant="secondary"
                      aria-label={`Download ${name}`}
                      pending={download.isPending && download.variables?.id === e.id}
                      onClick={() => download.mutate({ id: e.id })}
                    >
                      Download
                    </Button>
                  ) : (
                    e.status === "ready" && <span className="text-xs text-slate-600">Expired</span>
                  )}
                </li>
              );
            })}
          </ul>
        </ListStates>
        {download.isError && <ErrorState title="Could not download the export" message={errorMessage(download.error)} />}
      </div>
    </div>
  );
}

/** Export kinds, formats and statuses (the database's enums, via the API's types), with their labels and badge tones. */
import type { BadgeTone } from "../../components/ui/badge";
import { enumValues } from "../../lib/enums";
import type { RouterInputs, RouterOutputs } from "../../lib/trpc";

export type DataExport = RouterOutputs["exports"]["list"]["items"][number];
export type ExportKind = RouterInputs["exports"]["create"]["kinds"][number];
export type ExportFormat = RouterInputs["exports"]["create"]["format"];
export type ExportStatus = DataExport["status"];

export const exportKindLabel: Record<ExportKind, string> = {
  engagements: "Conversations",
  messages: "Messages",
  contacts: "Contacts",
  calls: "Calls",
  leads: "Leads",
  audit: "Audit log",
};
export const exportKinds = enumValues(exportKindLabel);

export const exportFormatLabel: Record<ExportFormat, string> = {
  ndjson: "NDJSON (one JSON object per line)",
  csv: "CSV (opens in spreadsheets)",
};
export const exportFormats = enumValues(exportFormatLabel);

export const exportStatusTone: Record<ExportStatus, BadgeTone> = { pending: "info", running: "info", ready: "good", failed: "bad" };
export const exportStatusLabel: Record<ExportStatus, string> = { pending: "Queued", running: "Running", ready: "Ready", failed: "Failed" };

/** Exports still being written: the list is asked again while there are any. */
export function exportsInFlight(items: readonly Pick<DataExport, "status">[]): boolean {
  return items.some((e) => e.status === "pending" || e.status === "running");
}

/** Whether a ready export's file can still be downloaded (files are removed at `expiresAt`). */
export function downloadable(e: Pick<DataExport, "status" | "expiresAt" | "removedAt">, now = Date.now()): boolean {
  return e.status === "ready" && e.removedAt === null && new Date(e.expiresAt).getTime() > now;
}

const integer = new Intl.NumberFormat("en");

/** 1234567 → "1,234,567 rows". */
export const formatRows = (rows: number) => `${integer.format(rows)} ${rows === 1 ? "row" : "rows"}`;

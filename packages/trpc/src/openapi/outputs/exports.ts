import { z } from "zod";
import { exportFormat, exportKind, exportStatus } from "@switchboard/db";
import { page, timestamp, uuid } from "./common";

const dataExport = z.strictObject({
  id: uuid,
  kinds: z.array(z.enum(exportKind.enumValues)),
  format: z.enum(exportFormat.enumValues),
  status: z.enum(exportStatus.enumValues),
  rows: z.number().describe("Rows written so far (while running), or in all (ready)."),
  bytes: z.number().describe("Compressed bytes written so far, or the file's size."),
  error: z.string().nullable().describe("Why it failed; null unless failed."),
  requestedBy: z.string().describe("Who asked for it (their e-mail address)."),
  createdAt: timestamp,
  finishedAt: timestamp.nullable(),
  expiresAt: timestamp.describe("The file is removed at this time (7 days after the request)."),
  removedAt: timestamp.nullable().describe("When the file was removed; null while it can be downloaded."),
});

const signedLink = z.strictObject({
  url: z.string().describe("A path on the tenant's host, valid 15 minutes, that needs no session (`/exports/<id>/download?token=…`)."),
});

export const exportsOutputs = {
  list: page(dataExport),
  create: dataExport,
  download: signedLink,
};

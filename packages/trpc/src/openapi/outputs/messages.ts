import { z } from "zod";
import { page } from "./common";
import { engagement, message } from "./conversations";

export const messagesOutputs = {
  list: page(message),
  send: message,
  note: message,
  ingest: z.strictObject({ message, engagement }),
};

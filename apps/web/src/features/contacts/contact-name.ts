import type { RouterOutputs } from "../../lib/trpc";

type ContactLike = Pick<RouterOutputs["contacts"]["list"]["items"][number], "name" | "email" | "phone">;

/** What to call a contact: their name, else the e-mail or phone they wrote from. */
export function contactName(c: ContactLike): string {
  return c.name ?? c.email ?? c.phone ?? "Unnamed contact";
}

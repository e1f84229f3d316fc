import type { RouterOutputs } from "../../lib/trpc";

type ContactLike = Pick<RouterOutputs["contacts"]["list"]["items"][number], "name" | "email" | "phone" | "erasedAt">;

/** What to call a contact: their name, else the e-mail or phone they wrote from; an erased contact has none of them. */
export function contactName(c: ContactLike): string {
  if (c.erasedAt) return "Erased contact";
  return c.name ?? c.email ?? c.phone ?? "Unnamed contact";
}

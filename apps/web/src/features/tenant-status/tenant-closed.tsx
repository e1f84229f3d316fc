import { currentHost, hostUrl } from "../../lib/host";
import type { TenantClosure } from "./tenant-closure";

const explanation: Record<TenantClosure["status"], { title: string; body: string }> = {
  suspended: {
    title: "This tenant is suspended",
    body: "The Switchboard platform suspended it. Its data is kept, but nobody can sign in to it, its API keys are refused and its live updates stop until it is restored.",
  },
  archived: {
    title: "This tenant is archived",
    body: "Its owner archived it. After the grace period its data is deleted for good; until then a platform administrator can restore it unchanged.",
  },
};

/** What a member of a suspended or archived tenant sees instead of its screens: what happened, why, and where to go. */
export function TenantClosed({ closure, slug }: { closure: TenantClosure; slug: string }) {
  const text = explanation[closure.status];
  return (
    <section aria-labelledby="tenant-closed-title" className="mx-auto max-w-lg py-8" data-testid="tenant-closed">
      <h1 id="tenant-closed-title" className="text-2xl font-semibold tracking-tight text-slate-900">
        {text.title}
      </h1>
      <div className="mt-4 rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200">
        <p className="text-sm text-slate-700">
          <span className="font-medium text-slate-900">{slug}</span>.{currentHost.baseDomain}: {text.body}
        </p>
        {closure.reason && (
          <p className="mt-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-inset ring-amber-200">
            <span className="font-medium">Reason given: </span>
            <span data-testid="tenant-closed-reason" className="break-words whitespace-pre-line">{closure.reason}</span>
          </p>
        )}
        <p className="mt-4 text-sm text-slate-600">
          {closure.status === "suspended"
            ? "Questions about the suspension go to whoever runs your Switchboard."
            : "If this was a mistake, ask an owner of the organisation to contact whoever runs your Switchboard."}
        </p>
        <a
          href={hostUrl(null, currentHost)}
          className="mt-5 inline-flex h-9 items-center justify-center rounded-md bg-brand px-3.5 text-sm font-medium text-brand-contrast shadow-sm hover:bg-brand-hover"
        >
          All your tenants
        </a>
      </div>
    </section>
  );
}

/** A platform admin inside a closed tenant (the API lets them in): a reminder that its members cannot be. */
export function ClosedTenantNotice({ status }: { status: TenantClosure["status"] }) {
  return (
    <div role="region" aria-label="Tenant closed" className="border-b border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900">
      This tenant is {status}: its members cannot use it. You see it as a platform admin.{" "}
      <a href={hostUrl(null, currentHost, window.location, "/platform")} className="font-medium underline">
        Platform console
      </a>
    </div>
  );
}

import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { Spinner } from "../../components/ui/button";
import { cn } from "../../components/ui/cn";
import { errorMessage } from "../../lib/errors";
import { currentHost } from "../../lib/host";
import { tenantTree } from "../../lib/tenant-tree";
import { useTRPC } from "../../lib/trpc";
import { useSwitchTenant } from "./use-switch-tenant";

/** The top bar's tenant menu: every tenant of the user, departments indented, the current one marked. */
export function TenantSwitcher({ currentName }: { currentName: string | null }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const root = useRef<HTMLDivElement>(null);
  const tenants = useQuery({ ...trpc.tenants.list.queryOptions(), enabled: open });
  const switchTenant = useSwitchTenant();
  const moving = switchTenant.isPending || switchTenant.isSuccess;

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent | KeyboardEvent) => {
      if (e instanceof KeyboardEvent ? e.key === "Escape" : !root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", close);
    };
  }, [open]);

  const label = currentName ?? (currentHost.tenantSlug ? currentHost.tenantSlug : "Choose a tenant");
  return (
    <div ref={root} className="relative">
      <button
        type="button"
        aria-haspopup="true"
        aria-expanded={open}
        aria-controls={menuId}
        onClick={() => setOpen((o) => !o)}
        className="inline-flex items-center gap-2 rounded-md px-2.5 py-1.5 text-sm font-medium text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50"
      >
        <span className="sr-only">Switch tenant, current: </span>
        <span className="max-w-48 truncate">{label}</span>
        {moving ? <Spinner className="size-3.5" /> : <span aria-hidden="true">▾</span>}
      </button>
      {open && (
        <div
          id={menuId}
          className="absolute left-0 z-20 mt-2 w-72 rounded-lg bg-white p-1 shadow-lg ring-1 ring-slate-200"
          aria-label="Your tenants"
          role="region"
        >
          {tenants.isPending && <p className="px-3 py-2 text-sm text-slate-500">Loading tenants…</p>}
          {tenants.isError && <p className="px-3 py-2 text-sm text-red-600">{errorMessage(tenants.error)}</p>}
          {tenants.data?.items.length === 0 && <p className="px-3 py-2 text-sm text-slate-500">You have no tenants yet.</p>}
          {switchTenant.isError && (
            <p role="alert" className="px-3 py-2 text-sm text-red-600">
              {errorMessage(switchTenant.error)}
            </p>
          )}
          {tenants.data && tenants.data.items.length > 0 && (
            <ul className="max-h-80 overflow-auto">
              {tenantTree(tenants.data.items).map(({ tenant, depth }) => {
                const current = tenant.slug === currentHost.tenantSlug;
                return (
                  <li key={tenant.id}>
                    <button
                      type="button"
                      disabled={current || moving}
                      aria-current={current ? "page" : undefined}
                      onClick={() => switchTenant.mutate({ tenantId: tenant.id })}
                      className={cn(
                        "flex w-full items-center justify-between gap-2 rounded-md px-3 py-2 text-left text-sm",
                        depth === 1 && "pl-8",
                        current ? "bg-slate-100 font-medium text-slate-900" : "text-slate-700 hover:bg-slate-50",
                        "disabled:cursor-default",
                      )}
                    >
                      <span className="truncate">
                        {depth === 1 && <span aria-hidden="true" className="mr-1 text-slate-400">↳</span>}
                        {tenant.name}
                      </span>
                      <span className="shrink-0 text-xs text-slate-500">{current ? "current" : tenant.role}</span>
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

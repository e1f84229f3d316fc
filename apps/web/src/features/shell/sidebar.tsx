import { Link } from "@tanstack/react-router";
import { cn } from "../../components/ui/cn";
import { safeLogoUrl } from "../../lib/branding";
import type { Permissions } from "../../lib/roles";
import { router } from "../../router";
import { visibleNavItems } from "./nav-items";

const available = new Set(Object.values(router.routesByPath).map((r) => r.fullPath as string));

interface SidebarProps {
  collapsed: boolean;
  permissions: Permissions;
  tenantName: string | null;
  logoUrl: unknown;
  onNavigate?: () => void;
}

/** The tenant's navigation. Collapsed: icons only, names kept for screen readers and as tooltips. */
export function Sidebar({ collapsed, permissions, tenantName, logoUrl, onNavigate }: SidebarProps) {
  const logo = safeLogoUrl(logoUrl);
  return (
    <div className="flex h-full flex-col">
      <div className={cn("flex h-14 shrink-0 items-center gap-2.5 border-b border-slate-200", collapsed ? "justify-center px-2" : "px-4")}>
        {logo ? (
          <img src={logo} alt="" className="size-8 shrink-0 rounded-md object-contain" referrerPolicy="no-referrer" />
        ) : (
          <span aria-hidden="true" className="grid size-8 shrink-0 place-items-center rounded-md bg-brand text-sm font-bold text-brand-contrast">
            {(tenantName ?? "S").slice(0, 1).toUpperCase()}
          </span>
        )}
        {!collapsed && (
          <span className="min-w-0">
            <span className="block truncate text-sm font-semibold text-slate-900" data-testid="brand-name">
              {tenantName ?? "Switchboard"}
            </span>
            <span className="block text-xs text-slate-500">Switchboard</span>
          </span>
        )}
      </div>
      <nav aria-label="Main" className="flex-1 overflow-y-auto px-2 py-3">
        <ul className="space-y-0.5">
          {visibleNavItems(permissions, available).map((item) => (
            <li key={item.to}>
              <Link
                to={item.to}
                onClick={onNavigate}
                title={collapsed ? item.label : undefined}
                activeOptions={{ exact: item.exact ?? false }}
                className={cn(
                  "group flex h-9 items-center gap-3 rounded-md text-sm font-medium text-slate-600 transition-colors",
                  "hover:bg-slate-100 hover:text-slate-900",
                  "data-[status=active]:bg-brand/10 data-[status=active]:text-slate-900",
                  collapsed ? "justify-center px-0" : "px-3",
                )}
              >
                {({ isActive }) => (
                  <>
                    <item.icon className={cn("size-5 shrink-0", isActive ? "text-brand" : "text-slate-400 group-hover:text-slate-600")} />
                    <span className={cn(collapsed && "sr-only")}>{item.label}</span>
                  </>
                )}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
    </div>
  );
}

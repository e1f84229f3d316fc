import * as Menu from "@radix-ui/react-dropdown-menu";
import { Link } from "@tanstack/react-router";
import { ChevronDownIcon } from "../../components/ui/icons";
import { currentHost, hostUrl } from "../../lib/host";

interface UserMenuProps {
  name: string;
  email: string;
  role: string | null;
  /** Platform admins get a way to the platform console (on the bare domain). */
  platformAdmin: boolean;
  onSignOut: () => void;
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? "?") + (parts.length > 1 ? (parts.at(-1)?.[0] ?? "") : "")).toUpperCase();
}

/** Who is signed in, their role here, their account's security, and the way out. */
export function UserMenu({ name, email, role, platformAdmin, onSignOut }: UserMenuProps) {
  return (
    <Menu.Root>
      {/* Named by its text, not aria-label: the visible name stays part of the accessible one (WCAG 2.5.3). */}
      <Menu.Trigger
        className="flex items-center gap-2 rounded-full p-0.5 pr-2 text-sm text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-brand"
      >
        <span aria-hidden="true" className="grid size-8 place-items-center rounded-full bg-slate-800 text-xs font-semibold text-white">
          {initials(name)}
        </span>
        <span className="sr-only">Account menu for </span>
        <span className="hidden max-w-36 truncate font-medium md:inline">{name}</span>
        <span className="sr-only md:hidden">{name}</span>
        <ChevronDownIcon className="hidden size-4 text-slate-400 md:block" />
      </Menu.Trigger>
      <Menu.Portal>
        <Menu.Content align="end" sideOffset={6} className="z-50 w-60 rounded-lg bg-white p-1 shadow-lg ring-1 ring-slate-200">
          <div className="px-3 py-2">
            <p className="truncate text-sm font-medium text-slate-900">{name}</p>
            <p className="truncate text-xs text-slate-500">{email}</p>
            {role && <p className="mt-1 text-xs text-slate-500">Role here: <span className="font-medium capitalize text-slate-700">{role}</span></p>}
          </div>
          <Menu.Separator className="my-1 h-px bg-slate-100" />
          <Menu.Item asChild>
            <Link to="/security" className="block rounded-md px-3 py-2 text-sm text-slate-700 outline-none data-[highlighted]:bg-slate-100">
              Security
            </Link>
          </Menu.Item>
          <Menu.Item asChild>
            <a href={hostUrl(null, currentHost)} className="block rounded-md px-3 py-2 text-sm text-slate-700 outline-none data-[highlighted]:bg-slate-100">
              All your tenants
            </a>
          </Menu.Item>
          {platformAdmin && (
            <Menu.Item asChild>
              <a
                href={hostUrl(null, currentHost, window.location, "/platform")}
                className="block rounded-md px-3 py-2 text-sm text-slate-700 outline-none data-[highlighted]:bg-slate-100"
              >
                Platform console
              </a>
            </Menu.Item>
          )}
          <Menu.Item
            onSelect={onSignOut}
            className="cursor-pointer rounded-md px-3 py-2 text-sm text-slate-700 outline-none data-[highlighted]:bg-slate-100"
          >
            Sign out
          </Menu.Item>
        </Menu.Content>
      </Menu.Portal>
    </Menu.Root>
  );
}

/** The sidebar's screens, in order, and who sees each (the API refuses the rest anyway). */
import type { ComponentType } from "react";
import {
  BotIcon,
  ChartIcon,
  CogIcon,
  ContactsIcon,
  DatabaseIcon,
  GaugeIcon,
  HomeIcon,
  InboxIcon,
  KeyIcon,
  LeadsIcon,
  ListIcon,
  PlugIcon,
  PhoneIcon,
  UsersIcon,
} from "../../components/ui/icons";
import type { Permissions } from "../../lib/roles";

export interface NavItem {
  to: string;
  label: string;
  icon: ComponentType<{ className?: string }>;
  visible: (p: Permissions) => boolean;
  /** Active only on this exact path (not on the paths below it, which have their own entries). */
  exact?: boolean;
}

const everyone = () => true;
const admins = (p: Permissions) => p.canAdmin;

export const navItems: NavItem[] = [
  { to: "/", label: "Overview", icon: HomeIcon, visible: everyone, exact: true },
  { to: "/engagements", label: "Engagements", icon: InboxIcon, visible: everyone },
  { to: "/contacts", label: "Contacts", icon: ContactsIcon, visible: everyone },
  { to: "/calls", label: "Calls", icon: PhoneIcon, visible: everyone },
  { to: "/leads", label: "Leads", icon: LeadsIcon, visible: everyone },
  { to: "/agents", label: "AI agents", icon: BotIcon, visible: everyone },
  { to: "/analytics", label: "Analytics", icon: ChartIcon, visible: everyone },
  { to: "/members", label: "Members", icon: UsersIcon, visible: everyone },
  { to: "/api-keys", label: "API keys", icon: KeyIcon, visible: admins },
  { to: "/integrations", label: "Integrations", icon: PlugIcon, visible: admins },
  { to: "/audit", label: "Audit log", icon: ListIcon, visible: admins },
  { to: "/usage", label: "Usage", icon: GaugeIcon, visible: everyone },
  { to: "/settings", label: "Settings", icon: CogIcon, visible: everyone, exact: true },
  { to: "/settings/data", label: "Data", icon: DatabaseIcon, visible: admins },
];

/** The items this user sees; `available` lists the paths the router has (screens still to come are left out). */
export function visibleNavItems(p: Permissions, available: ReadonlySet<string>): NavItem[] {
  return navItems.filter((item) => available.has(item.to) && item.visible(p));
}

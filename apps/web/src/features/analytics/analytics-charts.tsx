/** The charts (recharts): imported only by the analytics screen, so the library stays out of other chunks. */
import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { Interval } from "./periods";

const axis = { stroke: "#94a3b8", fontSize: 12, tickLine: false, axisLine: false } as const;

export function VolumeChart({ data, interval }: { data: { t: string; calls: number; engagements: number }[]; interval: Interval }) {
  const tick = (t: string) =>
    interval === "hour"
      ? new Date(t).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" })
      : new Date(t).toLocaleDateString(undefined, { month: "short", day: "numeric" });
  return (
    <ResponsiveContainer width="100%" height="100%">
      <AreaChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
        <defs>
          <linearGradient id="fill-engagements" x1="0" y1="0" x2="0" y2="1">
            <stop offset="0%" stopColor="var(--brand)" stopOpacity={0.3} />
            <stop offset="100%" stopColor="var(--brand)" stopOpacity={0} />
          </linearGradient>
          <linearGradient id="fill-calls" x1="0" y1="0" x2="0" y2="1">
            <stop offset="0%" stopColor="var(--brand-secondary)" stopOpacity={0.3} />
            <stop offset="100%" stopColor="var(--brand-secondary)" stopOpacity={0} />
          </linearGradient>
        </defs>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" vertical={false} />
        <XAxis dataKey="t" tickFormatter={tick} minTickGap={24} {...axis} />
        <YAxis allowDecimals={false} {...axis} />
        <Tooltip labelFormatter={(t) => new Date(String(t)).toLocaleString()} />
        <Legend iconType="circle" wrapperStyle={{ fontSize: 12 }} />
        <Area type="monotone" dataKey="engagements" name="Engagements" stroke="var(--brand)" strokeWidth={2} fill="url(#fill-engagements)" />
        <Area type="monotone" dataKey="calls" name="Calls" stroke="var(--brand-secondary)" strokeWidth={2} fill="url(#fill-calls)" />
      </AreaChart>
    </ResponsiveContainer>
  );
}

export function ChannelChart({ data }: { data: { channel: string; count: number }[] }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} layout="vertical" margin={{ top: 0, right: 16, bottom: 0, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" horizontal={false} />
        <XAxis type="number" allowDecimals={false} {...axis} />
        <YAxis type="category" dataKey="channel" width={84} {...axis} />
        <Tooltip cursor={{ fill: "#f1f5f9" }} />
        <Bar dataKey="count" name="Engagements" fill="var(--brand)" radius={[0, 4, 4, 0]} barSize={18} />
      </BarChart>
    </ResponsiveContainer>
  );
}

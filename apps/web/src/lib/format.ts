/** Dates, durations and labels shown the same way on every screen. */
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const date = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

export const formatDateTime = (iso: string | null | undefined) => (iso ? dateTime.format(new Date(iso)) : "—");
export const formatDate = (iso: string | null | undefined) => (iso ? date.format(new Date(iso)) : "—");

/** "3 min ago", "yesterday"… for recent times; the date beyond a week. */
export function formatRelative(iso: string, now: number = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return "just now";
  if (abs < 3600) return relative.format(Math.round(seconds / 60), "minute");
  if (abs < 86_400) return relative.format(Math.round(seconds / 3600), "hour");
  if (abs < 7 * 86_400) return relative.format(Math.round(seconds / 86_400), "day");
  return date.format(new Date(iso));
}

/** 75 → "1m 15s", 3700 → "1h 1m", null → "—". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null) return "—";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

const bytes = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const byteUnits = ["B", "KB", "MB", "GB", "TB"] as const;

/** 0 → "0 B", 1536 → "1.5 KB", 5_000_000 → "4.8 MB" (binary steps, the units people read); null → "—". */
export function formatBytes(n: number | null | undefined): string {
  if (n == null) return "—";
  let value = Math.max(0, n);
  let unit = 0;
  while (value >= 1024 && unit < byteUnits.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${bytes.format(unit === 0 ? Math.round(value) : value)} ${byteUnits[unit]}`;
}

/** "in_progress" → "In progress". */
export const humanize = (value: string) => {
  const s = value.replace(/_/g, " ");
  return s.charAt(0).toUpperCase() + s.slice(1);
};

/** yyyy-mm-dd (a date input's value, local time) → the ISO instant of that local midnight, plus `addDays`. */
export function localDayIso(yyyyMmDd: string, addDays = 0): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(yyyyMmDd);
  if (!m) return undefined;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + addDays).toISOString();
}

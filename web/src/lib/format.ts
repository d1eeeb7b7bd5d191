/** Display formatting for whole-number prices, quantities and credits, and for times. */

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

/** A whole number with thousands separators, or an em dash for none. */
export function formatNumber(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : integer.format(value);
}

/** A large number shortened (12.3K), for volumes. */
export function formatCompact(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : compact.format(value);
}

/** A signed change (+3, −2, 0), or an em dash for none. */
export function formatChange(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  if (value > 0) return `+${integer.format(value)}`;
  if (value < 0) return `−${integer.format(-value)}`;
  return "0";
}

/** A change as a percentage of the price it started from, e.g. "+2.5%". */
export function formatChangePercent(change: number | null, last: number | null): string {
  if (change === null || last === null) return "";
  const start = last - change;
  if (start <= 0) return "";
  const percent = (change / start) * 100;
  const sign = percent > 0 ? "+" : percent < 0 ? "−" : "";
  return `${sign}${Math.abs(percent).toFixed(2)}%`;
}

/** A time of day (HH:MM:SS, local time). */
export function formatTime(timeMs: number): string {
  const date = new Date(timeMs);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** A date and time (YYYY-MM-DD HH:MM:SS, local time). */
export function formatDateTime(timeMs: number): string {
  const date = new Date(timeMs);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${formatTime(timeMs)}`;
}

/** Tailwind text colour for a signed value: green up, red down, muted flat. */
export function changeColor(value: number | null | undefined): string {
  if (value === null || value === undefined || value === 0) return "text-muted-foreground";
  return value > 0 ? "text-buy" : "text-sell";
}

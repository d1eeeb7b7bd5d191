import { formatDateTime, formatTime } from "@/lib/format";

/** A time for a history table: the date is left out on phone-width screens (hover shows it). */
export function Stamp({ timeMs }: { timeMs: number }) {
  const full = formatDateTime(timeMs);
  return (
    <time dateTime={new Date(timeMs).toISOString()} title={full}>
      <span className="hidden sm:inline">{full.slice(0, full.indexOf(" ") + 1)}</span>
      {formatTime(timeMs)}
    </time>
  );
}

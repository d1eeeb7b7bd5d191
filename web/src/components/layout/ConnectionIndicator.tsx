import { useConnectionStatus } from "@/hooks/useConnection";
import type { ConnectionStatus } from "@/lib/ws";
import { cn } from "@/lib/utils";

const LABELS: Record<ConnectionStatus, string> = {
  connecting: "Connecting",
  live: "Live",
  reconnecting: "Reconnecting",
  offline: "Offline",
};

const DOTS: Record<ConnectionStatus, string> = {
  connecting: "bg-amber-500 animate-pulse",
  live: "bg-buy",
  reconnecting: "bg-amber-500 animate-pulse",
  offline: "bg-sell",
};

/** The live-data connection's state: a coloured dot and a word, in a role="status" region. */
export function ConnectionIndicator({ className }: { className?: string }) {
  const status = useConnectionStatus();
  return (
    <div
      role="status"
      aria-label="Connection"
      className={cn("inline-flex items-center gap-1.5 rounded-full border px-2.5 py-1 text-xs font-medium", className)}
      title={status === "live" ? "Live data is streaming" : "Live data is paused; it resumes where it left off"}
    >
      <span aria-hidden="true" className={cn("size-2 rounded-full", DOTS[status])} />
      {LABELS[status]}
    </div>
  );
}

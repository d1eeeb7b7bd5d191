import type { ReactNode } from "react";
import { AlertTriangle, Inbox } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { ApiError } from "@/lib/api";
import { cn } from "@/lib/utils";

/** Placeholder rows while a list loads. */
export function LoadingRows({ rows = 5, className, label = "Loading" }: { rows?: number; className?: string; label?: string }) {
  return (
    <div className={cn("grid gap-2", className)} role="status" aria-label={label}>
      {Array.from({ length: rows }, (_, index) => (
        <Skeleton key={index} className="h-7 w-full" />
      ))}
    </div>
  );
}

/** A calm message where a list has nothing to show. */
export function EmptyState({ title, children, className }: { title: string; children?: ReactNode; className?: string }) {
  return (
    <div className={cn("flex flex-col items-center gap-1 px-4 py-8 text-center", className)}>
      <Inbox aria-hidden="true" className="mb-1 size-6 text-muted-foreground" />
      <p className="text-sm font-medium">{title}</p>
      {children ? <div className="text-sm text-muted-foreground">{children}</div> : null}
    </div>
  );
}

/** What a failed load says, with a Retry button when `onRetry` is given. */
export function ErrorState({
  error,
  onRetry,
  title = "Could not load this",
  className,
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
  className?: string;
}) {
  const message = error instanceof ApiError || error instanceof Error ? error.message : "Something went wrong.";
  return (
    <div role="alert" className={cn("flex flex-col items-center gap-2 px-4 py-8 text-center", className)}>
      <AlertTriangle aria-hidden="true" className="size-6 text-destructive" />
      <p className="text-sm font-medium">{title}</p>
      <p className="text-sm text-muted-foreground">{message}</p>
      {onRetry ? (
        <Button variant="outline" size="sm" onClick={onRetry}>
          Retry
        </Button>
      ) : null}
    </div>
  );
}

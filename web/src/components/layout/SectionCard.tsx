import { useId, type ReactNode } from "react";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { cn } from "@/lib/utils";

/**
 * A card that is also a named region: its title labels it, so screen readers (and end-to-end
 * tests, through `getByRole("region", { name })`) find it by that title.
 */
export function SectionCard({
  title,
  description,
  actions,
  className,
  children,
}: {
  title: string;
  description?: ReactNode;
  /** Controls shown at the right of the title (filters, a refresh button...). */
  actions?: ReactNode;
  className?: string;
  children: ReactNode;
}) {
  const titleId = useId();
  return (
    <Card className={cn("min-w-0", className)}>
      <section aria-labelledby={titleId}>
        <CardHeader className="flex-row flex-wrap items-start justify-between gap-2 space-y-0 pb-3">
          <div className="grid gap-1.5">
            <CardTitle id={titleId}>{title}</CardTitle>
            {description ? <CardDescription>{description}</CardDescription> : null}
          </div>
          {actions}
        </CardHeader>
        <CardContent>{children}</CardContent>
      </section>
    </Card>
  );
}

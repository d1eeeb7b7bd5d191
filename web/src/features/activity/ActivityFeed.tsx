import { useMemo, useState } from "react";
import { ArrowLeftRight, CandlestickChart, Pause, Play, UserMinus, UserPlus } from "lucide-react";
import { SectionCard } from "@/components/layout/SectionCard";
import { EmptyState, ErrorState, LoadingRows } from "@/components/state/States";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { useActivity } from "@/hooks/useActivity";
import { useSession } from "@/hooks/useSession";
import { formatTime } from "@/lib/format";
import type { Activity } from "@/lib/types";
import { cn } from "@/lib/utils";
import {
  ACTIVITY_CATEGORIES,
  activityKey,
  categoryOf,
  describeActivity,
  filterActivity,
  involves,
  type ActivityCategory,
} from "./activityText";

const ICONS = {
  trades: CandlestickChart,
  transfers: ArrowLeftRight,
  joined: UserPlus,
  closed: UserMinus,
} as const;

const ICON_COLOURS: Record<ActivityCategory, string> = {
  trades: "text-muted-foreground",
  transfers: "text-primary",
  joined: "text-buy",
  closed: "text-sell",
};

/** The public feed with filters by kind and a pause switch, newest first. */
export function ActivityFeed() {
  const feed = useActivity();
  const { session } = useSession();
  const [shown, setShown] = useState<ReadonlySet<ActivityCategory>>(() => new Set(ACTIVITY_CATEGORIES.map((c) => c.value)));
  const [frozen, setFrozen] = useState<Activity[] | null>(null);
  const items = frozen ?? feed.data?.items;
  const visible = useMemo(() => (items ? filterActivity(items, shown) : []), [items, shown]);

  const toggle = (category: ActivityCategory, on: boolean) =>
    setShown((old) => {
      const next = new Set(old);
      if (on) next.add(category);
      else next.delete(category);
      return next;
    });

  const filters = (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
      <fieldset className="flex flex-wrap gap-x-4 gap-y-2">
        <legend className="sr-only">Show</legend>
        {ACTIVITY_CATEGORIES.map((category) => (
          <label key={category.value} className="flex items-center gap-2 text-sm">
            <Checkbox checked={shown.has(category.value)} onChange={(event) => toggle(category.value, event.target.checked)} />
            {category.label}
          </label>
        ))}
      </fieldset>
      <Button
        variant="outline"
        size="sm"
        aria-pressed={frozen !== null}
        disabled={!feed.data}
        onClick={() => setFrozen((old) => (old ? null : (feed.data?.items ?? null)))}
      >
        {frozen ? <Play aria-hidden="true" /> : <Pause aria-hidden="true" />}
        {frozen ? "Resume" : "Pause"}
      </Button>
    </div>
  );

  return (
    <SectionCard
      title="Activity feed"
      description={`Everything happening across the exchange, newest first (the latest ${feed.data?.items.length ?? "few hundred"} entries).`}
      actions={filters}
    >
      {frozen ? (
        <p role="status" className="mb-2 text-xs text-muted-foreground">
          Paused: new activity is held back until you resume.
        </p>
      ) : null}
      {feed.isPending ? (
        <LoadingRows rows={8} label="Loading activity" />
      ) : feed.isError ? (
        <ErrorState error={feed.error} title="Could not load the activity feed" onRetry={() => void feed.refetch()} />
      ) : visible.length === 0 ? (
        <EmptyState title={items && items.length > 0 ? "Nothing of the chosen kinds" : "No activity yet"}>
          {items && items.length > 0 ? "Tick more kinds above to see them." : "Trades, transfers and new traders will show up here as they happen."}
        </EmptyState>
      ) : (
        <ol aria-label="Activity" className="divide-y">
          {visible.map((entry, index) => {
            const category = categoryOf(entry);
            const Icon = ICONS[category];
            const mine = session ? involves(entry, session.account_id) : false;
            return (
              <li key={activityKey(entry, index)} className="flex items-start gap-3 py-2">
                <Icon aria-hidden="true" className={cn("mt-0.5 size-4 shrink-0", ICON_COLOURS[category])} />
                <span className="min-w-0 flex-1 text-sm">
                  {describeActivity(entry)}
                  {mine ? (
                    <Badge variant="outline" className="ml-2 align-middle">
                      You
                    </Badge>
                  ) : null}
                </span>
                <time dateTime={new Date(entry.time_ms).toISOString()} className="shrink-0 font-mono text-xs text-muted-foreground">
                  {formatTime(entry.time_ms)}
                </time>
              </li>
            );
          })}
        </ol>
      )}
    </SectionCard>
  );
}

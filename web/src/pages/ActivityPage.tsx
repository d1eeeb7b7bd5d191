import { ActivityFeed } from "@/features/activity/ActivityFeed";

/** The public activity feed: trades, transfers, noise traders joining and being liquidated. */
export function ActivityPage() {
  return (
    <div className="grid gap-4">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Activity</h1>
        <p className="text-sm text-muted-foreground">Watch the whole exchange live. Accounts appear by number, never by email.</p>
      </div>
      <ActivityFeed />
    </div>
  );
}

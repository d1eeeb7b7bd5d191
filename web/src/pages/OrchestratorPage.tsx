import { Link } from "react-router";
import { EmptyState } from "@/components/state/States";
import { RequireAuth } from "@/features/auth/RequireAuth";
import { NoiseTraders } from "@/features/orchestrator/NoiseTraders";
import { useSession } from "@/hooks/useSession";

/** An orchestrator's noise traders; other accounts are told the page is not for them. */
export function OrchestratorPage() {
  return (
    <RequireAuth title="Log in as an orchestrator">
      <OrchestratorContent />
    </RequireAuth>
  );
}

function OrchestratorContent() {
  const { session } = useSession();
  return (
    <div className="grid gap-4">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Orchestrator</h1>
        <p className="text-sm text-muted-foreground">The noise traders your account runs, alive or liquidated.</p>
      </div>
      {session?.kind === "orchestrator" ? (
        <NoiseTraders />
      ) : (
        <EmptyState title="This page is for orchestrator accounts">
          Your account is a {session?.kind ?? "standard"} account. See the{" "}
          <Link to="/activity" className="underline underline-offset-4">
            activity feed
          </Link>{" "}
          for every trader joining and leaving.
        </EmptyState>
      )}
    </div>
  );
}

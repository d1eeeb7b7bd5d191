import { Alert } from "@/components/ui/alert";
import { RequireAuth } from "@/features/auth/RequireAuth";
import { AccountOpenOrders } from "@/features/account/AccountOpenOrders";
import { AlertsCard } from "@/features/account/AlertsCard";
import { BalancesCard } from "@/features/account/BalancesCard";
import { FillsCard } from "@/features/account/FillsCard";
import { PositionsCard } from "@/features/account/PositionsCard";
import { TransferForm } from "@/features/account/TransferForm";
import { TransfersCard } from "@/features/account/TransfersCard";
import { useAccount } from "@/hooks/useAccount";
import { useFills } from "@/hooks/useFills";

/** The logged-in user's account: balances, positions with P&L, orders, fills, transfers and alerts. */
export function AccountPage() {
  return (
    <RequireAuth title="Log in to see your account">
      <AccountContent />
    </RequireAuth>
  );
}

function AccountContent() {
  const account = useAccount();
  const fills = useFills();
  return (
    <div className="grid gap-4">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Account</h1>
        <p className="text-sm text-muted-foreground">
          {account.data ? `Account #${account.data.account_id} · ${account.data.email}` : "Your money, shares and orders, live."}
        </p>
      </div>
      {account.data?.status === "closed" ? (
        <Alert variant="destructive" role="alert">
          This account is closed: it can no longer trade or send credits.
        </Alert>
      ) : null}
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="grid min-w-0 content-start gap-4 lg:col-span-2">
          <BalancesCard account={account} />
          <PositionsCard account={account} fills={fills} />
          <AccountOpenOrders />
          <FillsCard fills={fills} />
        </div>
        <div className="grid min-w-0 content-start gap-4">
          <TransferForm creditsAvailable={account.data?.credits_available} />
          <AlertsCard />
          <TransfersCard />
        </div>
      </div>
    </div>
  );
}

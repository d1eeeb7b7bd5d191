import { useState, type FormEvent } from "react";
import { BellRing, Loader2 } from "lucide-react";
import { SectionCard } from "@/components/layout/SectionCard";
import { EmptyState, ErrorState, LoadingRows } from "@/components/state/States";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { useAlertActions, useAlerts, useFiredAlerts, type FiredAlert } from "@/hooks/useAlerts";
import { useDraft } from "@/hooks/useDraft";
import { formatNumber } from "@/lib/format";
import type { AlertDirection } from "@/lib/types";
import { alertErrorsOf, EMPTY_ALERT, validateAlert, type AlertErrors } from "./alertValidation";

/** A fired alert in words. */
export function firedAlertText(alert: FiredAlert): string {
  return `Your balance went ${alert.direction} ${formatNumber(alert.threshold)} credits: it is now ${formatNumber(alert.balance)}.`;
}

/** The account's balance alerts: the list with Clear alert, the form to set one, and the ones that fired. */
export function AlertsCard() {
  const alerts = useAlerts();
  const { set, clear } = useAlertActions();
  const [fired, dismissFired] = useFiredAlerts();
  const [draft, setDraft, clearDraft] = useDraft("alert", EMPTY_ALERT);
  const [errors, setErrors] = useState<AlertErrors>({});
  const [clearError, setClearError] = useState<{ direction: AlertDirection; message: string } | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const { errors: found, alert } = validateAlert(draft);
    setErrors(found);
    if (!alert) return;
    try {
      await set.mutateAsync(alert);
      clearDraft();
    } catch (error) {
      setErrors(alertErrorsOf(error));
    }
  };

  const onClear = (direction: AlertDirection) => {
    setClearError(null);
    clear.mutate(direction, {
      onError: (error) => setClearError({ direction, message: alertErrorsOf(error).form ?? "Could not clear the alert." }),
    });
  };

  return (
    <SectionCard
      title="Balance alerts"
      description="Be told when your total credits (available plus held) fall below or rise above a threshold. An alert fires once, and re-arms when the balance crosses back."
    >
      <div className="grid gap-4">
        {fired.length > 0 ? (
          <Alert role="status" className="grid gap-1">
            {fired.map((alert) => (
              <p key={`${alert.seq}:${alert.direction}`} className="flex items-start gap-2">
                <BellRing aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
                {firedAlertText(alert)}
              </p>
            ))}
            <Button variant="link" size="sm" className="h-auto justify-self-start p-0" onClick={dismissFired}>
              Dismiss
            </Button>
          </Alert>
        ) : null}
        {alerts.isPending ? (
          <LoadingRows rows={2} label="Loading alerts" />
        ) : alerts.isError ? (
          <ErrorState error={alerts.error} title="Could not load your alerts" onRetry={() => void alerts.refetch()} />
        ) : alerts.data.length === 0 ? (
          <EmptyState title="No alerts set" className="py-4" />
        ) : (
          <ul aria-label="Alerts" className="grid gap-2">
            {alerts.data.map((alert) => (
              <li key={alert.direction} className="flex flex-wrap items-center gap-2 rounded-lg border p-2 pl-3">
                <span className="text-sm">
                  {alert.direction === "below" ? "Below" : "Above"}{" "}
                  <span className="font-mono tabular-nums">{formatNumber(alert.threshold)}</span> credits
                </span>
                <Badge variant={alert.armed ? "success" : "warning"}>{alert.armed ? "Armed" : "Fired"}</Badge>
                <Button
                  size="sm"
                  variant="ghost"
                  className="ml-auto text-destructive hover:text-destructive"
                  disabled={clear.isPending && clear.variables === alert.direction}
                  onClick={() => onClear(alert.direction)}
                  title={`Clear the ${alert.direction} alert`}
                >
                  Clear alert
                </Button>
                {clearError?.direction === alert.direction ? (
                  <p role="alert" className="w-full text-xs text-destructive">
                    {clearError.message}
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        )}
        <form noValidate onSubmit={(event) => void submit(event)} className="grid grid-cols-2 items-start gap-3">
          <FormField id="alert-direction" label="Direction" error={errors.direction}>
            {(control) => (
              <NativeSelect
                {...control}
                value={draft.direction}
                onChange={(event) => setDraft((old) => ({ ...old, direction: event.target.value as AlertDirection }))}
              >
                <option value="below">Falls below</option>
                <option value="above">Rises above</option>
              </NativeSelect>
            )}
          </FormField>
          <FormField id="alert-threshold" label="Threshold (credits)" error={errors.threshold}>
            {(control) => (
              <Input
                {...control}
                inputMode="numeric"
                className="font-mono"
                value={draft.threshold}
                onChange={(event) => setDraft((old) => ({ ...old, threshold: event.target.value }))}
              />
            )}
          </FormField>
          <Button type="submit" disabled={set.isPending} className="col-span-2 justify-self-start">
            {set.isPending ? <Loader2 className="animate-spin" aria-hidden="true" /> : null}
            Set alert
          </Button>
          {errors.form ? (
            <Alert variant="destructive" role="alert" className="col-span-2">
              {errors.form}
            </Alert>
          ) : null}
        </form>
        <p className="text-xs text-muted-foreground">
          Setting an alert replaces the one in the same direction; if your balance is already past it, it fires at once.
        </p>
      </div>
    </SectionCard>
  );
}

import { useState, type FormEvent } from "react";
import { Loader2 } from "lucide-react";
import { SectionCard } from "@/components/layout/SectionCard";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { useDraft } from "@/hooks/useDraft";
import { useSession } from "@/hooks/useSession";
import { useSendCredits } from "@/hooks/useTransfers";
import { formatNumber } from "@/lib/format";
import { EMPTY_TRANSFER, transferErrorsOf, validateTransfer, type TransferErrors } from "./transferValidation";

/** Sends credits to another user by email; what is typed survives an expired session. */
export function TransferForm({ creditsAvailable }: { creditsAvailable: number | undefined }) {
  const { session } = useSession();
  const send = useSendCredits();
  const [draft, setDraft, clearDraft] = useDraft("transfer", EMPTY_TRANSFER);
  const [errors, setErrors] = useState<TransferErrors>({});
  const [sent, setSent] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSent(null);
    const { errors: found, request } = validateTransfer(draft, { ownEmail: session?.email, creditsAvailable });
    setErrors(found);
    if (!request) return;
    try {
      const result = await send.mutateAsync(request);
      clearDraft();
      setSent(`Sent ${formatNumber(result.amount)} credits to ${request.to_email} (account #${result.to_account}).`);
    } catch (error) {
      setErrors(transferErrorsOf(error));
    }
  };

  return (
    <SectionCard title="Send credits" description="Pay another user of the exchange; the credits leave your available balance.">
      <form noValidate onSubmit={(event) => void submit(event)} className="grid gap-4">
        <FormField id="transfer-email" label="Recipient email" error={errors.email}>
          {(control) => (
            <Input
              {...control}
              type="email"
              autoComplete="off"
              placeholder="friend@example.com"
              value={draft.email}
              onChange={(event) => setDraft((old) => ({ ...old, email: event.target.value }))}
            />
          )}
        </FormField>
        <FormField
          id="transfer-amount"
          label="Amount (credits)"
          error={errors.amount}
          hint={creditsAvailable === undefined ? undefined : `${formatNumber(creditsAvailable)} available`}
        >
          {(control) => (
            <Input
              {...control}
              inputMode="numeric"
              className="font-mono"
              value={draft.amount}
              onChange={(event) => setDraft((old) => ({ ...old, amount: event.target.value }))}
            />
          )}
        </FormField>
        {errors.form ? (
          <Alert variant="destructive" role="alert">
            {errors.form}
          </Alert>
        ) : null}
        {sent ? (
          <Alert variant="success" role="status">
            {sent}
          </Alert>
        ) : null}
        <Button type="submit" disabled={send.isPending} className="justify-self-start">
          {send.isPending ? <Loader2 className="animate-spin" aria-hidden="true" /> : null}
          Send credits
        </Button>
      </form>
    </SectionCard>
  );
}

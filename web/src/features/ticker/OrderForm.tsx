import { useState, type FormEvent, type ReactNode } from "react";
import { Link } from "react-router";
import { useQueryClient } from "@tanstack/react-query";
import { CheckCircle2, Loader2 } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import { FieldError, FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { useAccount } from "@/hooks/useAccount";
import type { Book } from "@/hooks/useBook";
import { useSession } from "@/hooks/useSession";
import { useLoginHref } from "@/features/auth/RequireAuth";
import { api } from "@/lib/api";
import { formatNumber } from "@/lib/format";
import { queryKeys } from "@/lib/queryKeys";
import type { OrderResult, TimeInForce } from "@/lib/types";
import { cn } from "@/lib/utils";
import {
  estimateOrder,
  orderErrorsOf,
  validateOrder,
  type OrderDraft,
  type OrderErrors,
  type OrderField,
} from "./orderValidation";

/** A two-option segmented control made of real radio buttons (keyboard and screen-reader friendly). */
function Segmented<T extends string>({
  legend,
  name,
  value,
  options,
  onChange,
}: {
  legend: string;
  name: string;
  value: T;
  options: { value: T; label: string; activeClass: string }[];
  onChange: (value: T) => void;
}) {
  return (
    <fieldset className="grid gap-1.5">
      <legend className="mb-1.5 text-sm font-medium">{legend}</legend>
      <div className="grid grid-cols-2 gap-1 rounded-md bg-muted p-1">
        {options.map((option) => {
          const id = `${name}-${option.value}`;
          const checked = option.value === value;
          return (
            <div key={option.value} className="relative">
              <input
                type="radio"
                id={id}
                name={name}
                value={option.value}
                checked={checked}
                onChange={() => onChange(option.value)}
                className="peer absolute inset-0 z-10 size-full cursor-pointer appearance-none rounded opacity-0"
              />
              <label
                htmlFor={id}
                className={cn(
                  "block cursor-pointer rounded px-3 py-1.5 text-center text-sm font-medium transition-colors peer-focus-visible:ring-2 peer-focus-visible:ring-ring",
                  checked ? option.activeClass : "text-muted-foreground hover:text-foreground",
                )}
              >
                {option.label}
              </label>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

/** A short account of what an order command did. */
export function describeResult(result: OrderResult): string {
  const filled = result.fills.reduce((sum, fill) => sum + fill.quantity, 0);
  const value = result.fills.reduce((sum, fill) => sum + fill.quantity * fill.price, 0);
  const order = result.order;
  const parts: string[] = [];
  if (filled > 0) {
    const verb = order?.side === "sell" ? "Sold" : "Bought";
    parts.push(`${verb} ${formatNumber(filled)} at an average of ${formatNumber(Math.round((value / filled) * 100) / 100)}`);
  }
  if (order && order.status === "open") {
    parts.push(`${formatNumber(order.remaining)} resting at ${formatNumber(order.price)}`);
  } else if (order && order.status === "cancelled" && order.remaining > 0) {
    parts.push(`${formatNumber(order.remaining)} not filled and cancelled`);
  }
  return parts.length > 0 ? `Order placed: ${parts.join("; ")}.` : "Order placed.";
}

function Row({ label, children, strong = false }: { label: string; children: ReactNode; strong?: boolean }) {
  return (
    <div className="flex items-baseline justify-between gap-2">
      <dt className="text-muted-foreground">{label}</dt>
      <dd className={cn("font-mono tabular-nums", strong && "font-semibold text-foreground")}>{children}</dd>
    </div>
  );
}

/**
 * The order entry form: side, type, time in force, post-only, quantity and price, checked
 * before sending (orderValidation.ts), with the estimated cost from the live book and server
 * errors next to their field. What the user typed is kept as a draft (useDraft).
 */
export function OrderForm({
  symbol,
  book,
  draft,
  setDraft,
  className,
}: {
  symbol: string;
  book: Book;
  draft: OrderDraft;
  setDraft: (update: (old: OrderDraft) => OrderDraft) => void;
  className?: string;
}) {
  const { status } = useSession();
  const account = useAccount();
  const queryClient = useQueryClient();
  const loginHref = useLoginHref();
  const [errors, setErrors] = useState<OrderErrors>({});
  const [pending, setPending] = useState(false);
  const [success, setSuccess] = useState<string | null>(null);

  const creditsAvailable = account.data?.credits_available;
  const sharesAvailable = account.data
    ? (account.data.positions.find((position) => position.symbol === symbol)?.available ?? 0)
    : undefined;
  const context = {
    creditsAvailable,
    sharesAvailable,
    bestBid: book.bids[0]?.price ?? null,
    bestAsk: book.asks[0]?.price ?? null,
  };

  const update = (fields: Partial<OrderDraft>, clears: OrderField[]) => {
    setDraft((old) => ({ ...old, ...fields }));
    setSuccess(null);
    setErrors((old) => {
      const next = { ...old };
      for (const field of [...clears, "form" as const]) delete next[field];
      return next;
    });
  };

  const quantity = /^\d+$/.test(draft.quantity.trim()) ? Number(draft.quantity.trim()) : 0;
  const limit = draft.type === "limit" && /^\d+$/.test(draft.price.trim()) ? Number(draft.price.trim()) : undefined;
  const opposite = draft.side === "buy" ? book.asks : book.bids;
  const estimate =
    quantity > 0 && (draft.type === "market" || limit !== undefined)
      ? estimateOrder(draft.side, quantity, opposite, limit, draft.type === "market" ? creditsAvailable : undefined)
      : null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSuccess(null);
    const { errors: found, order } = validateOrder(symbol, draft, context);
    setErrors(found);
    if (!order) return;
    setPending(true);
    try {
      const result = await api.placeOrder(order);
      setSuccess(describeResult(result));
      setDraft((old) => ({ ...old, quantity: "" }));
      void queryClient.invalidateQueries({ queryKey: queryKeys.ordersScope });
      void queryClient.invalidateQueries({ queryKey: queryKeys.account });
    } catch (error) {
      setErrors(orderErrorsOf(error));
    } finally {
      setPending(false);
    }
  };

  if (status !== "authenticated") {
    return (
      <Card className={className}>
        <CardHeader>
          <CardTitle>Place an order</CardTitle>
          <CardDescription>Log in or sign up to trade {symbol}. New accounts start with free credits.</CardDescription>
        </CardHeader>
        <CardContent className="flex gap-2">
          {status === "loading" ? null : (
            <>
              <Button asChild>
                <Link to={loginHref}>Log in</Link>
              </Button>
              <Button asChild variant="outline">
                <Link to={loginHref.replace("/login", "/signup")}>Sign up</Link>
              </Button>
            </>
          )}
        </CardContent>
      </Card>
    );
  }

  const buying = draft.side === "buy";
  return (
    <Card className={className}>
      <CardHeader className="pb-2">
        <CardTitle>Place an order</CardTitle>
      </CardHeader>
      <CardContent>
        <form noValidate onSubmit={(event) => void submit(event)} className="grid gap-4" aria-label="Order entry">
          <FormField id="order-ticker" label="Ticker" error={errors.ticker}>
            {(control) => <Input {...control} readOnly value={symbol} className="bg-muted/50 font-mono" />}
          </FormField>
          <Segmented
            legend="Side"
            name="order-side"
            value={draft.side}
            onChange={(side) => update({ side }, ["side", "quantity", "postOnly"])}
            options={[
              { value: "buy", label: "Buy", activeClass: "bg-buy text-white shadow" },
              { value: "sell", label: "Sell", activeClass: "bg-sell text-white shadow" },
            ]}
          />
          <Segmented
            legend="Order type"
            name="order-type"
            value={draft.type}
            onChange={(type) => update({ type }, ["type", "price", "timeInForce", "postOnly"])}
            options={[
              { value: "limit", label: "Limit", activeClass: "bg-background text-foreground shadow" },
              { value: "market", label: "Market", activeClass: "bg-background text-foreground shadow" },
            ]}
          />
          {draft.type === "limit" ? (
            <FormField id="order-price" label="Price" error={errors.price} hint="Credits per share.">
              {(control) => (
                <Input
                  {...control}
                  inputMode="numeric"
                  autoComplete="off"
                  value={draft.price}
                  onChange={(event) => update({ price: event.target.value }, ["price", "postOnly"])}
                  className="font-mono"
                />
              )}
            </FormField>
          ) : null}
          <FormField
            id="order-quantity"
            label="Quantity"
            error={errors.quantity}
            hint={
              buying
                ? creditsAvailable !== undefined
                  ? `${formatNumber(creditsAvailable)} credits available.`
                  : undefined
                : sharesAvailable !== undefined
                  ? `${formatNumber(sharesAvailable)} shares available.`
                  : undefined
            }
          >
            {(control) => (
              <Input
                {...control}
                inputMode="numeric"
                autoComplete="off"
                value={draft.quantity}
                onChange={(event) => update({ quantity: event.target.value }, ["quantity"])}
                className="font-mono"
              />
            )}
          </FormField>
          {draft.type === "limit" ? (
            <div className="grid gap-4 sm:grid-cols-[1fr_auto] sm:items-start">
              <FormField id="order-tif" label="Time in force" error={errors.timeInForce}>
                {(control) => (
                  <NativeSelect
                    {...control}
                    value={draft.timeInForce}
                    onChange={(event) =>
                      update(
                        {
                          timeInForce: event.target.value as TimeInForce,
                          postOnly: event.target.value === "gtc" ? draft.postOnly : false,
                        },
                        ["timeInForce", "postOnly"],
                      )
                    }
                  >
                    <option value="gtc">Good till cancelled (GTC)</option>
                    <option value="ioc">Immediate or cancel (IOC)</option>
                    <option value="fok">Fill or kill (FOK)</option>
                  </NativeSelect>
                )}
              </FormField>
              <div className="grid gap-1.5 sm:pt-7">
                <div className="flex items-center gap-2">
                  <Checkbox
                    id="order-post-only"
                    checked={draft.postOnly}
                    disabled={draft.timeInForce !== "gtc"}
                    aria-invalid={Boolean(errors.postOnly)}
                    aria-describedby={errors.postOnly ? "order-post-only-error" : undefined}
                    onChange={(event) => update({ postOnly: event.target.checked }, ["postOnly"])}
                  />
                  <Label htmlFor="order-post-only">Post-only</Label>
                </div>
              </div>
              {errors.postOnly ? (
                <div className="sm:col-span-2">
                  <FieldError id="order-post-only-error">{errors.postOnly}</FieldError>
                </div>
              ) : null}
            </div>
          ) : (
            <p className="text-xs text-muted-foreground">
              A market order trades at once at the best prices in the book; what cannot trade is cancelled.
            </p>
          )}

          <dl className="grid gap-1 rounded-md border bg-muted/30 p-3 text-sm" aria-label="Estimate">
            {estimate ? (
              <>
                <Row label="Trades now">
                  {formatNumber(estimate.filled)}
                  {estimate.averagePrice !== null ? ` @ ${formatNumber(Math.round(estimate.averagePrice * 100) / 100)}` : ""}
                </Row>
                {estimate.unfilled > 0 ? (
                  <Row label={draft.type === "limit" && draft.timeInForce === "gtc" ? "Rests in the book" : "Not filled"}>
                    {formatNumber(estimate.unfilled)}
                  </Row>
                ) : null}
                <Row label={buying ? "Estimated cost" : "Estimated proceeds"} strong>
                  {formatNumber(buying ? estimate.total : estimate.tradedValue)}
                </Row>
              </>
            ) : (
              <Row label={buying ? "Estimated cost" : "Estimated proceeds"}>—</Row>
            )}
          </dl>

          {errors.form ? (
            <Alert variant="destructive" role="alert">
              {errors.form}
            </Alert>
          ) : null}
          {success ? (
            <Alert variant="success" role="status" className="flex items-start gap-2">
              <CheckCircle2 aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
              <span>{success}</span>
            </Alert>
          ) : null}
          <Button type="submit" variant={buying ? "buy" : "sell"} disabled={pending} size="lg" className="w-full">
            {pending ? <Loader2 className="animate-spin" aria-hidden="true" /> : null}
            Place order
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}

import { useState, type FormEvent } from "react";
import { Loader2 } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import type { useOrderActions } from "@/hooks/useOrders";
import type { Order } from "@/lib/types";
import { validateAmendment } from "./amendValidation";
import { orderErrorsOf, type OrderErrors } from "./orderValidation";

/** Changes an open limit order's price and/or quantity (PATCH /orders/{id}). */
export function AmendDialog({
  order,
  amend,
  onClose,
}: {
  order: Order;
  amend: ReturnType<typeof useOrderActions>["amend"];
  onClose: () => void;
}) {
  const [price, setPrice] = useState(String(order.price ?? ""));
  const [quantity, setQuantity] = useState(String(order.remaining));
  const [errors, setErrors] = useState<OrderErrors>({});

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const { errors: found, amendment } = validateAmendment(order, price, quantity);
    setErrors(found);
    if (!amendment) return;
    try {
      await amend.mutateAsync({ id: order.id, amendment });
      onClose();
    } catch (error) {
      setErrors(orderErrorsOf(error));
    }
  };

  return (
    <Dialog open onOpenChange={(open) => (open ? undefined : onClose())}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Amend order #{order.id}</DialogTitle>
          <DialogDescription>
            {order.side === "buy" ? "Buy" : "Sell"} {order.symbol}: {order.remaining} left at {order.price}. Lowering the quantity at
            the same price keeps the order&apos;s place in the queue.
          </DialogDescription>
        </DialogHeader>
        <form noValidate onSubmit={(event) => void submit(event)} className="grid gap-4">
          <FormField id="amend-price" label="New price" error={errors.price}>
            {(control) => (
              <Input {...control} inputMode="numeric" value={price} onChange={(event) => setPrice(event.target.value)} className="font-mono" />
            )}
          </FormField>
          <FormField id="amend-quantity" label="New quantity" error={errors.quantity}>
            {(control) => (
              <Input
                {...control}
                inputMode="numeric"
                value={quantity}
                onChange={(event) => setQuantity(event.target.value)}
                className="font-mono"
              />
            )}
          </FormField>
          {errors.form || errors.ticker || errors.postOnly || errors.timeInForce ? (
            <Alert variant="destructive" role="alert">
              {errors.form ?? errors.ticker ?? errors.postOnly ?? errors.timeInForce}
            </Alert>
          ) : null}
          <DialogFooter>
            <Button variant="outline" onClick={onClose}>
              Keep order
            </Button>
            <Button type="submit" disabled={amend.isPending}>
              {amend.isPending ? <Loader2 className="animate-spin" aria-hidden="true" /> : null}
              Save changes
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

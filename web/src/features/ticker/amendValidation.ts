import type { AmendOrder, Order } from "@/lib/types";
import { PRICE_MAX, QUANTITY_MAX, type OrderErrors } from "./orderValidation";

/**
 * Checks an amendment of `order`: whole numbers in range, and at least one change. The server
 * wants both fields; `quantity` is the new remaining quantity.
 */
export function validateAmendment(
  order: Order,
  priceText: string,
  quantityText: string,
): { errors: OrderErrors; amendment: AmendOrder | null } {
  const errors: OrderErrors = {};
  const parse = (text: string, name: string, max: number): number | null => {
    const trimmed = text.trim();
    if (!/^\d+$/.test(trimmed) || Number(trimmed) < 1) {
      errors[name === "price" ? "price" : "quantity"] = `Enter a whole ${name} of at least 1.`;
      return null;
    }
    const value = Number(trimmed);
    if (value > max) {
      errors[name === "price" ? "price" : "quantity"] = `The ${name} can be at most ${max.toLocaleString("en-US")}.`;
      return null;
    }
    return value;
  };
  const price = parse(priceText, "price", PRICE_MAX);
  const quantity = parse(quantityText, "quantity", QUANTITY_MAX);
  if (price === null || quantity === null) return { errors, amendment: null };
  if (price === order.price && quantity === order.remaining) {
    return { errors: { form: "Change the price or the quantity first." }, amendment: null };
  }
  const amendment: AmendOrder = { price, quantity };
  return { errors, amendment };
}

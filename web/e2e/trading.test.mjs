// The UI against a real exchange with the demo market and its bots, in headless Chromium:
// sign up; the book and trades update live; a limit order shows in the book and in open
// orders, is amended and cancelled; a marketable order fills and moves the balance and the
// position; a bad order shows the server's error; log out. Screenshots of the main pages
// go to target/e2e-screenshots/.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser, screenshot, startMarket } from "./harness.mjs";

/** How long a live update may take to show. */
const LIVE_MS = 60_000;

let market;
let browser;
let page;

before(async () => {
  market = await startMarket();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(20_000);
});

after(async () => {
  await browser?.close();
  await market?.stop();
});

/** A number as the UI prints it ("1,234" -> 1234). */
function number(text) {
  const digits = text.replace(/[^0-9-]/g, "");
  assert.notEqual(digits, "", `a number in ${JSON.stringify(text)}`);
  return Number(digits);
}

/** The levels of one side of the book ladder, best first, as [{price, quantity}]. */
async function levels(side) {
  const rows = page.getByRole("region", { name: "Order book" }).getByRole("rowgroup", { name: side }).getByRole("row");
  const texts = await rows.evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent ?? "")));
  const parsed = texts.filter((cells) => cells.length === 3).map(([price, quantity]) => ({ price: number(price), quantity: number(quantity) }));
  return side === "Asks" ? parsed.reverse() : parsed;
}

/** Waits until `holds()` is true. */
async function until(holds, what) {
  const deadline = Date.now() + LIVE_MS;
  while (Date.now() < deadline) {
    if (await holds()) return;
    await page.waitForTimeout(250);
  }
  assert.fail(`${what}: not within ${LIVE_MS} ms`);
}

/** Waits until `read()` returns something other than `before`. */
async function changes(read, before, what) {
  await until(async () => JSON.stringify(await read()) !== JSON.stringify(before), `${what} changes`);
}

/** The account's figures as the Account page's API answers them (the UI's own source). */
async function account() {
  return page.evaluate(async () => (await fetch("/api/v1/account")).json());
}

/** Opens the MNAD ticker page and waits until its book shows both sides. */
async function openTicker() {
  await page.goto(`${market.base}/ticker/MNAD`);
  await until(async () => (await levels("Bids")).length > 0 && (await levels("Asks")).length > 0, "the book shows bids and asks");
}

/** The order entry form. */
function orderForm() {
  return page.getByRole("form", { name: "Order entry" });
}

/** Fills and submits the order form. */
async function placeOrder({ side, type, price, quantity, postOnly = false }) {
  const form = orderForm();
  await form.getByRole("radio", { name: side === "buy" ? "Buy" : "Sell" }).check({ force: true });
  await form.getByRole("radio", { name: type === "limit" ? "Limit" : "Market" }).check({ force: true });
  if (type === "limit") {
    await form.getByLabel("Price").fill(String(price));
    const postOnlyBox = form.getByLabel("Post-only");
    if ((await postOnlyBox.isChecked()) !== postOnly) await postOnlyBox.click();
  }
  await form.getByLabel("Quantity").fill(String(quantity));
  await form.getByRole("button", { name: /place/i }).click();
}

const email = `e2e-${process.pid}@example.com`;

test("sign up", async () => {
  await page.goto(`${market.base}/signup`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.getByText(email).first().waitFor();
  await page.getByRole("status", { name: "Connection" }).getByText("Live").waitFor({ timeout: LIVE_MS });
});

test("the markets page lists MNAD with live prices", async () => {
  await page.goto(`${market.base}/`);
  const row = page.getByRole("row").filter({ hasText: "MNAD" });
  await row.first().waitFor();
  await screenshot(page, "markets");
});

test("the book and the trades update live", async () => {
  await openTicker();
  const tape = page.getByRole("region", { name: "Trades" });
  const tapeRows = () => tape.getByRole("row").allTextContents();
  const bookNow = async () => [await levels("Bids"), await levels("Asks")];
  const [tapeBefore, bookBefore] = [await tapeRows(), await bookNow()];
  await changes(tapeRows, tapeBefore, "the trades tape");
  await changes(bookNow, bookBefore, "the order book");
  await screenshot(page, "ticker");
});

let restingPrice;

test("a limit order shows in the book and in open orders, then is amended and cancelled", async () => {
  const bids = await levels("Bids");
  assert.ok(bids.length > 0, "the market makers quote bids");
  restingPrice = Math.max(1, bids[0].price - 3);
  await placeOrder({ side: "buy", type: "limit", price: restingPrice, quantity: 7 });
  await page.getByRole("status").filter({ hasText: /order/i }).first().waitFor();

  const open = page.getByRole("region", { name: "Open orders" });
  const row = open.getByRole("row").filter({ hasText: String(restingPrice) });
  await row.first().waitFor();
  assert.match(await row.first().textContent(), /7/);
  const ours = async () => (await levels("Bids")).find((level) => level.price === restingPrice)?.quantity ?? 0;
  await until(async () => (await ours()) >= 7, `the bid level at ${restingPrice} shows our 7 shares`);

  await row.first().getByRole("button", { name: "Amend" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("New quantity").fill("4");
  await dialog.getByRole("button", { name: /amend|save/i }).click();
  await dialog.waitFor({ state: "hidden" });
  await open.getByRole("row").filter({ hasText: String(restingPrice) }).filter({ hasText: "4" }).first().waitFor();

  await open.getByRole("row").filter({ hasText: String(restingPrice) }).first().getByRole("button", { name: "Cancel" }).click();
  await open.getByRole("row").filter({ hasText: String(restingPrice) }).first().waitFor({ state: "detached" });
  const orders = await page.evaluate(async () => (await fetch("/api/v1/orders?status=open")).json());
  assert.deepEqual(orders, [], "nothing of ours rests any more");
});

test("a marketable order fills and moves the balance and the position", async () => {
  const before = await account();
  const position = (acc) => acc.positions.find((p) => p.symbol === "MNAD")?.available ?? 0;
  await placeOrder({ side: "buy", type: "market", quantity: 1 });
  await page.getByRole("status").filter({ hasText: /fill|bought|traded/i }).first().waitFor();
  const after = await account();
  assert.equal(position(after), position(before) + 1);
  assert.ok(after.credits_available < before.credits_available, "the shares were paid for");

  await page.goto(`${market.base}/account`);
  const credits = page.getByText(after.credits_available.toLocaleString("en-US")).first();
  await credits.waitFor();
  const positions = page.getByRole("region", { name: "Positions" }).getByRole("row").filter({ hasText: "MNAD" });
  await positions.first().waitFor();
  const shares = await positions.first().evaluate((tr) => tr.cells[1]?.textContent ?? "");
  assert.equal(number(shares), position(after), "the Positions table shows the new position");
  const fills = page.getByRole("region", { name: /fills/i });
  await fills.getByRole("row").filter({ hasText: "MNAD" }).first().waitFor();
  await screenshot(page, "account");
});

test("a bad order shows the server's error next to its field", async () => {
  await openTicker();
  const asks = await levels("Asks");
  // Only the server knows for sure that this post-only buy would trade: it is refused.
  await placeOrder({ side: "buy", type: "limit", price: asks[0].price + 5, quantity: 1, postOnly: true });
  const error = orderForm().getByRole("alert");
  await error.first().waitFor();
  assert.match(await error.first().textContent(), /post.only|would trade/i);
  await screenshot(page, "ticker-error");
});

test("the activity feed shows the market's public life", async () => {
  await page.goto(`${market.base}/activity`);
  await page.getByRole("main").getByText(/trade|joined|transfer/i).first().waitFor();
  await screenshot(page, "activity");
});

test("log out", async () => {
  await page.getByRole("button", { name: "Log out" }).click();
  await page.getByRole("link", { name: /log in/i }).first().waitFor();
  const session = await page.evaluate(async () => (await fetch("/api/v1/auth/session")).status);
  assert.equal(session, 401);
});

//! Acceptance scenarios for the engine.
//!
//! One test per engine-relevant scenario of `/work/shared/design/seed-spec.md` section 10
//! (`s01_...` to `s33_...`, `s46_...`), one regression test per engine defect of section 9.1
//! (`defect_04_...` to `defect_29_...`), and scenarios for engine behaviour section 10 does not
//! cover (time in force, self-trade prevention, amendments, client ids, closed tickers,
//! alerts, orchestration). Where the spec has a **Recommend** line, that line is the
//! acceptance criterion; where this engine deliberately differs from it, the test's comment
//! says so and what is checked instead.
//!
//! Every command goes through the shared fixture, which checks all invariants after each
//! success and an unchanged state hash after each rejection.

mod common;

use common::{fills, order_id, Fill, Market};
use exchange_core::{
    AccountId, AccountKind, AccountStatus, Action, AlertDirection, CancelReason, ClientOrderId,
    Credits, Event, NewOrder, OrderId, OrderRef, OrderStatus, OrderType, PositionView, Price,
    Priority, Quantity, Rejection, RemainderReason, SelfTrade, Side, Symbol, TickerId,
    TickerStatus, TimeInForce, TransferReason,
};

// ---------------------------------------------------------------------------------------
// Local helpers (read-only views over the fixture).
// ---------------------------------------------------------------------------------------

/// The name of each event, in order, for comparing event sequences compactly.
fn kinds(events: &[Event]) -> Vec<&'static str> {
    events
        .iter()
        .map(|event| match event {
            Event::AccountCreated { .. } => "AccountCreated",
            Event::TickerCreated { .. } => "TickerCreated",
            Event::TickerStatusChanged { .. } => "TickerStatusChanged",
            Event::CreditsDeposited { .. } => "CreditsDeposited",
            Event::SharesIssued { .. } => "SharesIssued",
            Event::CreditsTransferred { .. } => "CreditsTransferred",
            Event::SharesTransferred { .. } => "SharesTransferred",
            Event::OrderAccepted { .. } => "OrderAccepted",
            Event::Trade { .. } => "Trade",
            Event::OrderRested { .. } => "OrderRested",
            Event::OrderCancelled { .. } => "OrderCancelled",
            Event::RemainderCancelled { .. } => "RemainderCancelled",
            Event::OrderAmended { .. } => "OrderAmended",
            Event::AccountClosed { .. } => "AccountClosed",
            Event::AlertSet { .. } => "AlertSet",
            Event::AlertCleared { .. } => "AlertCleared",
            Event::AlertTriggered { .. } => "AlertTriggered",
            Event::AlertRearmed { .. } => "AlertRearmed",
        })
        .collect()
}

/// (price, quantity, maker order) of each trade, in order.
fn trade_orders(events: &[Event]) -> Vec<(u64, u64, OrderId)> {
    events
        .iter()
        .filter_map(|e| match *e {
            Event::Trade {
                price,
                quantity,
                maker_order,
                ..
            } => Some((price.0, quantity.0, maker_order)),
            _ => None,
        })
        .collect()
}

/// (quantity, reason) of the remainder an incoming order dropped, if any.
fn dropped(events: &[Event]) -> Option<(u64, RemainderReason)> {
    events.iter().find_map(|e| match *e {
        Event::RemainderCancelled {
            quantity, reason, ..
        } => Some((quantity.0, reason)),
        _ => None,
    })
}

/// (order, quantity, reason) of every resting order the events cancel.
fn cancels(events: &[Event]) -> Vec<(OrderId, u64, CancelReason)> {
    events
        .iter()
        .filter_map(|e| match *e {
            Event::OrderCancelled {
                order,
                quantity,
                reason,
                ..
            } => Some((order, quantity.0, reason)),
            _ => None,
        })
        .collect()
}

/// The alert events among some events, as (account, kind, balance if triggered).
fn alert_events(events: &[Event]) -> Vec<(AccountId, &'static str, Option<u64>)> {
    events
        .iter()
        .filter_map(|e| match *e {
            Event::AlertTriggered {
                account, balance, ..
            } => Some((account, "AlertTriggered", Some(balance.0))),
            Event::AlertRearmed { account, .. } => Some((account, "AlertRearmed", None)),
            _ => None,
        })
        .collect()
}

/// A resting order's (remaining, filled); panics if it does not rest.
fn resting(m: &Market, order: OrderId) -> (u64, u64) {
    match m.exchange.state().order(order) {
        OrderStatus::Open(view) => (view.remaining.0, view.filled.0),
        other => panic!("order {order} does not rest: {other:?}"),
    }
}

fn is_closed(m: &Market, order: OrderId) -> bool {
    m.exchange.state().order(order) == OrderStatus::Closed
}

/// One side of a quote as (price, quantity), if the side has orders.
type Level = Option<(u64, u64)>;

/// Best bid and ask as (price, quantity).
fn quote_sizes(m: &Market) -> (Level, Level) {
    let quote = m.exchange.state().quote(m.ticker).unwrap();
    let level = |l: exchange_core::LevelView| (l.price.0, l.quantity.0);
    (quote.bid.map(level), quote.ask.map(level))
}

fn positions(m: &Market, account: AccountId) -> Vec<PositionView> {
    m.exchange.state().account(account).unwrap().positions
}

/// Available plus held credits.
fn total_credits(m: &Market, account: AccountId) -> u64 {
    let (available, held) = m.credits(account);
    available + held
}

/// Available plus held shares of the fixture's ticker.
fn total_shares(m: &Market, account: AccountId) -> u64 {
    let (available, held) = m.shares(account);
    available + held
}

/// Sum of every account's available and held credits.
fn credits_in_accounts(m: &Market) -> u64 {
    m.exchange
        .state()
        .accounts()
        .iter()
        .map(|a| a.credits_available.0 + a.credits_held.0)
        .sum()
}

/// Sum of every account's available and held shares of one ticker.
fn shares_in_accounts(m: &Market, ticker: TickerId) -> u64 {
    m.exchange
        .state()
        .accounts()
        .iter()
        .flat_map(|a| a.positions.clone())
        .filter(|p| p.ticker == ticker)
        .map(|p| p.available.0 + p.held.0)
        .sum()
}

fn limit_order(m: &Market, side: Side, price: u64, quantity: u64) -> NewOrder {
    NewOrder::limit(m.ticker, side, Price(price), Quantity(quantity))
}

fn with_tif(m: &Market, side: Side, price: u64, quantity: u64, tif: TimeInForce) -> NewOrder {
    limit_order(m, side, price, quantity).with_time_in_force(tif)
}

fn transfer(
    m: &mut Market,
    from: AccountId,
    to: AccountId,
    amount: u64,
) -> Result<Vec<Event>, Rejection> {
    let amount = Credits(amount);
    m.by(from, Action::TransferCredits { to, amount })
}

fn set_alert(
    m: &mut Market,
    account: AccountId,
    direction: AlertDirection,
    threshold: u64,
) -> Result<Vec<Event>, Rejection> {
    let threshold = Credits(threshold);
    m.by(
        account,
        Action::SetAlert {
            direction,
            threshold,
        },
    )
}

/// Creates an account orchestrated by `orchestrator`, funded with `credits`.
fn orchestrated(m: &mut Market, orchestrator: AccountId, credits: u64) -> AccountId {
    let initial_credits = Credits(credits);
    let events = m
        .by(
            orchestrator,
            Action::CreateOrchestratedAccount { initial_credits },
        )
        .unwrap();
    let Event::AccountCreated { account, .. } = events[0] else {
        panic!("{events:?}")
    };
    account
}

fn liquidate(
    m: &mut Market,
    orchestrator: AccountId,
    account: AccountId,
) -> Result<Vec<Event>, Rejection> {
    m.by(orchestrator, Action::LiquidateAccount { account })
}

fn issue(m: &mut Market, account: AccountId, ticker: TickerId, quantity: u64) {
    let quantity = Quantity(quantity);
    m.operator(Action::IssueShares {
        account,
        ticker,
        quantity,
    })
    .unwrap();
}

fn fill(price: u64, quantity: u64, maker: AccountId, taker: AccountId) -> Fill {
    Fill {
        price,
        quantity,
        maker,
        taker,
    }
}

// ---------------------------------------------------------------------------------------
// Section 10: matching and fills (S1-S13).
// ---------------------------------------------------------------------------------------

/// S1 (seed-spec.md l.858-865): a market buy of 3 against an ask of 5@10 fills 3 and
/// leaves the maker's order resting with 2; the best ask stays at 10.
#[test]
fn s01_single_level_partial_maker_fill() {
    let mut m = Market::new();
    let a = m.account(0, 20);
    let b = m.account(100, 0);
    let ask = order_id(&m.limit(a, Side::Sell, 10, 5).unwrap());
    assert_eq!(m.shares(a), (15, 5));

    let events = m.market(b, Side::Buy, 3).unwrap();
    assert_eq!(kinds(&events), ["OrderAccepted", "Trade"]);
    assert_eq!(fills(&events), [fill(10, 3, a, b)]);
    assert!(matches!(
        events[0],
        Event::OrderAccepted { account, side: Side::Buy, order_type: OrderType::Market, quantity: Quantity(3), .. }
            if account == b
    ));

    assert_eq!(m.credits(b), (70, 0));
    assert_eq!(m.shares(b), (3, 0));
    assert_eq!(m.credits(a), (30, 0));
    assert_eq!(m.shares(a), (15, 2)); // 2 of A's shares are held by the resting ask
    assert_eq!(total_shares(&m, a), 17);
    assert_eq!(resting(&m, ask), (2, 3));
    assert_eq!(quote_sizes(&m), (None, Some((10, 2))));
}

/// S2 (l.866-873), **Recommend**: a market buy of 4 takes 2@150 then 2@160, paying 620.
#[test]
fn s02_multi_level_buy_takes_best_price_first() {
    let mut m = Market::new();
    let seller1 = m.account(5000, 10);
    let seller2 = m.account(8000, 15);
    let buyer = m.account(10_000, 0);
    let ask1 = order_id(&m.limit(seller1, Side::Sell, 150, 2).unwrap());
    let ask2 = order_id(&m.limit(seller2, Side::Sell, 160, 5).unwrap());

    let events = m.market(buyer, Side::Buy, 4).unwrap();
    assert_eq!(trade_orders(&events), [(150, 2, ask1), (160, 2, ask2)]);
    assert_eq!(kinds(&events), ["OrderAccepted", "Trade", "Trade"]);

    assert_eq!(m.credits(buyer), (9380, 0));
    assert_eq!(m.shares(buyer), (4, 0));
    assert_eq!(m.credits(seller1), (5300, 0));
    assert_eq!(m.shares(seller1), (8, 0));
    assert!(is_closed(&m, ask1)); // filled
    assert_eq!(m.credits(seller2), (8320, 0));
    assert_eq!(m.shares(seller2), (10, 3)); // 3 held by the resting ask
    assert_eq!(total_shares(&m, seller2), 13);
    assert_eq!(resting(&m, ask2), (3, 2));
    assert_eq!(quote_sizes(&m), (None, Some((160, 3))));
    let stats = m.exchange.state().ticker(m.ticker).unwrap();
    assert_eq!(
        (stats.trades, stats.volume, stats.last_price),
        (2, Quantity(4), Some(Price(160)))
    );
}

/// S3 (l.874-881): a market sell of 4 takes 2@140 then 2@130. **Recommend**: both
/// buyers receive their 2 shares. A bid's hold is released as it fills, so buyer2's
/// 6740 credits are 6350 available plus 390 still held for its remaining 3@130.
#[test]
fn s03_multi_level_sell_takes_best_bid_first() {
    let mut m = Market::new();
    let buyer1 = m.account(5000, 0);
    let buyer2 = m.account(7000, 0);
    let seller = m.account(6000, 20);
    let bid1 = order_id(&m.limit(buyer1, Side::Buy, 140, 2).unwrap());
    let bid2 = order_id(&m.limit(buyer2, Side::Buy, 130, 5).unwrap());
    assert_eq!(m.credits(buyer1), (4720, 280));
    assert_eq!(m.credits(buyer2), (6350, 650));

    let events = m.market(seller, Side::Sell, 4).unwrap();
    assert_eq!(trade_orders(&events), [(140, 2, bid1), (130, 2, bid2)]);

    assert_eq!(m.credits(seller), (6540, 0));
    assert_eq!(m.shares(seller), (16, 0));
    assert_eq!(m.credits(buyer1), (4720, 0));
    assert_eq!(m.shares(buyer1), (2, 0));
    assert!(is_closed(&m, bid1));
    assert_eq!(m.credits(buyer2), (6350, 390));
    assert_eq!(total_credits(&m, buyer2), 6740);
    assert_eq!(m.shares(buyer2), (2, 0));
    assert_eq!(resting(&m, bid2), (3, 2));
    assert_eq!(quote_sizes(&m), (Some((130, 3)), None));
}

/// S4 (l.882-884): at one price the older order fills first.
#[test]
fn s04_time_priority_within_a_level() {
    let mut m = Market::new();
    let a = m.account(0, 2);
    let c = m.account(0, 2);
    let b = m.account(1000, 0);
    let ask_a = order_id(&m.limit(a, Side::Sell, 30, 2).unwrap());
    let ask_c = order_id(&m.limit(c, Side::Sell, 30, 2).unwrap());

    let events = m.market(b, Side::Buy, 3).unwrap();
    assert_eq!(trade_orders(&events), [(30, 2, ask_a), (30, 1, ask_c)]);
    assert_eq!(m.credits(a), (60, 0));
    assert_eq!(m.credits(c), (30, 0));
    assert_eq!(m.credits(b), (910, 0));
    assert!(is_closed(&m, ask_a));
    assert_eq!(resting(&m, ask_c), (1, 1));
}

/// S5 (l.885-887), **Recommend**: the cheaper ask fills first, whatever the placement order.
#[test]
fn s05_price_priority_across_levels() {
    let mut m = Market::new();
    let a = m.account(0, 1);
    let c = m.account(0, 1);
    let b = m.account(100, 0);
    let ask_a = order_id(&m.limit(a, Side::Sell, 35, 1).unwrap());
    let ask_c = order_id(&m.limit(c, Side::Sell, 30, 1).unwrap());

    let events = m.market(b, Side::Buy, 1).unwrap();
    assert_eq!(trade_orders(&events), [(30, 1, ask_c)]);
    assert_eq!(fills(&events), [fill(30, 1, c, b)]);
    assert_eq!(m.credits(b), (70, 0));
    assert_eq!(resting(&m, ask_a), (1, 0));
    assert_eq!(quote_sizes(&m), (None, Some((35, 1))));
}

/// S6 (l.888-890). **Deliberate difference**: the spec rejects a market buy of 3 against
/// 2 shares of liquidity; our market orders fill what they can and drop the remainder
/// (`RemainderCancelled{NoLiquidity}`), as the crate docs say. All-or-nothing is what a
/// fill-or-kill limit order is for, and that is checked too: it is rejected and nothing
/// changes. A market order that finds no liquidity at all is rejected `NoLiquidity`.
#[test]
fn s06_not_enough_liquidity() {
    let mut m = Market::new();
    let a = m.account(0, 2);
    let b = m.account(100, 0);
    let ask = order_id(&m.limit(a, Side::Sell, 10, 2).unwrap());

    let fok = with_tif(&m, Side::Buy, 10, 3, TimeInForce::Fok);
    assert_eq!(m.place(b, fok), Err(Rejection::FokNotFillable));
    assert_eq!(resting(&m, ask), (2, 0));
    assert_eq!(m.credits(b), (100, 0));

    let events = m.market(b, Side::Buy, 3).unwrap();
    assert_eq!(
        kinds(&events),
        ["OrderAccepted", "Trade", "RemainderCancelled"]
    );
    assert_eq!(fills(&events), [fill(10, 2, a, b)]);
    assert_eq!(dropped(&events), Some((1, RemainderReason::NoLiquidity)));
    assert_eq!(m.credits(b), (80, 0));
    assert_eq!(m.shares(b), (2, 0));
    assert_eq!(quote_sizes(&m), (None, None));

    assert_eq!(m.market(b, Side::Buy, 1), Err(Rejection::NoLiquidity));
}

/// S7 (l.891-893). **Deliberate difference**: the spec rejects a market buy of 3 (cost 30)
/// with 25 credits; our market buy spends at most the available credits, so it buys 2 and
/// drops 1 with `InsufficientCredits`. A limit buy needing 30 is rejected upfront, and a
/// market buy that cannot pay for even one share is rejected `InsufficientCredits`.
#[test]
fn s07_not_enough_balance() {
    let mut m = Market::new();
    let a = m.account(0, 5);
    let b = m.account(25, 0);
    let ask = order_id(&m.limit(a, Side::Sell, 10, 5).unwrap());

    let limit = limit_order(&m, Side::Buy, 10, 3);
    assert_eq!(
        m.place(b, limit),
        Err(Rejection::InsufficientCredits {
            needed: Credits(30),
            available: Credits(25)
        })
    );

    let events = m.market(b, Side::Buy, 3).unwrap();
    assert_eq!(fills(&events), [fill(10, 2, a, b)]);
    assert_eq!(
        dropped(&events),
        Some((1, RemainderReason::InsufficientCredits))
    );
    assert_eq!(m.credits(b), (5, 0));
    assert_eq!(m.shares(b), (2, 0));
    assert_eq!(resting(&m, ask), (3, 2));

    assert_eq!(
        m.market(b, Side::Buy, 1),
        Err(Rejection::InsufficientCredits {
            needed: Credits(10),
            available: Credits(5)
        })
    );
}

/// S8 (l.894-896): selling 3 with 2 shares is rejected and nothing changes.
#[test]
fn s08_not_enough_shares_to_sell() {
    let mut m = Market::new();
    let buyer = m.account(100, 0);
    let c = m.account(0, 2);
    m.limit(buyer, Side::Buy, 10, 5).unwrap();

    let insufficient = Err(Rejection::InsufficientShares {
        needed: Quantity(3),
        available: Quantity(2),
    });
    assert_eq!(m.market(c, Side::Sell, 3), insufficient);
    assert_eq!(m.limit(c, Side::Sell, 10, 3), insufficient);
    assert_eq!(m.shares(c), (2, 0));
    assert_eq!(quote_sizes(&m), (Some((10, 5)), None));
}

/// S9 (l.897-900). **Deliberate difference**: our engine has no fill-or-kill or all-or-none
/// *resting* orders; FOK applies to the incoming order only and never rests. Checked
/// instead: A's FOK sell 5@30 against an empty book is rejected and leaves no order; B's
/// market buy of 3 then buys 3@31 from C (93 credits); without C's order it is rejected
/// `NoLiquidity`; and an incoming FOK is never split (FOK buy 5 against C's 3 is rejected).
#[test]
fn s09_fok_never_rests_and_is_never_split() {
    let mut m = Market::new();
    let a = m.account(0, 5);
    let c = m.account(0, 3);
    let b = m.account(1000, 0);

    let fok = with_tif(&m, Side::Sell, 30, 5, TimeInForce::Fok);
    assert_eq!(m.place(a, fok), Err(Rejection::FokNotFillable));
    assert_eq!(quote_sizes(&m), (None, None));
    assert_eq!(m.shares(a), (5, 0));

    // Without any ask, the market buy has nothing to trade with.
    assert_eq!(m.market(b, Side::Buy, 3), Err(Rejection::NoLiquidity));

    let ask_c = order_id(&m.limit(c, Side::Sell, 31, 3).unwrap());
    let fok_buy = with_tif(&m, Side::Buy, 31, 5, TimeInForce::Fok);
    assert_eq!(m.place(b, fok_buy), Err(Rejection::FokNotFillable));
    assert_eq!(resting(&m, ask_c), (3, 0));

    let events = m.market(b, Side::Buy, 3).unwrap();
    assert_eq!(trade_orders(&events), [(31, 3, ask_c)]);
    assert_eq!(m.credits(b), (907, 0));
    assert_eq!(m.credits(c), (93, 0));
    assert_eq!(m.shares(a), (5, 0)); // A untouched
}

/// S10 (l.901-905). **Recommend**: with escrow an unfunded ask cannot exist. A with no
/// shares cannot place the ask, so the quote shows no ask and a market buy finds no
/// liquidity. Once A's shares back a resting ask they are held, so they cannot back a
/// second ask either.
#[test]
fn s10_unfunded_ask_cannot_be_placed() {
    let mut m = Market::new();
    let a = m.account(0, 0);
    let b = m.account(100, 0);
    assert_eq!(
        m.limit(a, Side::Sell, 30, 3),
        Err(Rejection::InsufficientShares {
            needed: Quantity(3),
            available: Quantity(0)
        })
    );
    assert_eq!(quote_sizes(&m), (None, None));
    assert_eq!(m.market(b, Side::Buy, 1), Err(Rejection::NoLiquidity));

    m.fund(a, 0, 3);
    m.limit(a, Side::Sell, 30, 3).unwrap();
    assert_eq!(m.shares(a), (0, 3));
    assert_eq!(
        m.limit(a, Side::Sell, 31, 1),
        Err(Rejection::InsufficientShares {
            needed: Quantity(1),
            available: Quantity(0)
        })
    );
    assert_eq!(quote_sizes(&m), (None, Some((30, 3))));
}

/// S11 (l.906-908). **Recommend** (as for S10): A with 50 credits cannot bid 3@30 (90), so
/// there is no bid to show and a market sell finds no liquidity.
#[test]
fn s11_unfunded_bid_cannot_be_placed() {
    let mut m = Market::new();
    let a = m.account(50, 0);
    let c = m.account(0, 5);
    assert_eq!(
        m.limit(a, Side::Buy, 30, 3),
        Err(Rejection::InsufficientCredits {
            needed: Credits(90),
            available: Credits(50)
        })
    );
    assert_eq!(quote_sizes(&m), (None, None));
    assert_eq!(m.market(c, Side::Sell, 1), Err(Rejection::NoLiquidity));
    assert_eq!(m.credits(a), (50, 0));
}

/// S12 (l.909-912): one position per ticker; buying adds to it and selling everything
/// removes it from the account's positions.
#[test]
fn s12_position_coalescing() {
    let mut m = Market::new();
    let u = m.account(1000, 2);
    let seller = m.account(0, 2);
    let bidder = m.account(1000, 0);
    m.limit(seller, Side::Sell, 10, 2).unwrap();

    m.market(u, Side::Buy, 2).unwrap();
    let held = positions(&m, u);
    assert_eq!(held.len(), 1);
    assert_eq!(
        (held[0].ticker, held[0].available, held[0].held),
        (m.ticker, Quantity(4), Quantity(0))
    );

    m.limit(bidder, Side::Buy, 9, 4).unwrap();
    m.market(u, Side::Sell, 4).unwrap();
    assert_eq!(positions(&m, u), []);
    assert_eq!(m.credits(u), (1000 - 20 + 36, 0));
}

/// S13 (l.913-916). **Deliberate difference**: the spec lets A trade with itself; our
/// engine prevents self-trades. With the default policy A's market buy cancels A's own
/// resting ask (`OrderCancelled{SelfTrade}`) instead of trading with it, then finds no
/// other liquidity. A's balances end unchanged, as in the spec, but no trade happens.
#[test]
fn s13_self_trade_is_prevented() {
    let mut m = Market::new();
    let a = m.account(100, 5);
    let ask = order_id(&m.limit(a, Side::Sell, 20, 2).unwrap());
    assert_eq!(m.shares(a), (3, 2));

    let events = m.market(a, Side::Buy, 2).unwrap();
    assert_eq!(
        kinds(&events),
        ["OrderAccepted", "OrderCancelled", "RemainderCancelled"]
    );
    assert_eq!(cancels(&events), [(ask, 2, CancelReason::SelfTrade)]);
    assert_eq!(dropped(&events), Some((2, RemainderReason::NoLiquidity)));
    assert_eq!(fills(&events), []);
    assert_eq!(m.credits(a), (100, 0));
    assert_eq!(m.shares(a), (5, 0));
    assert!(is_closed(&m, ask));
    assert_eq!(m.exchange.state().ticker(m.ticker).unwrap().trades, 0);
}

// ---------------------------------------------------------------------------------------
// Section 10: limit orders (S14-S18).
// ---------------------------------------------------------------------------------------

/// S14 (l.918-922), **Recommend with escrow**: a resting bid of 3@30 holds 90 credits.
#[test]
fn s14_resting_limit_holds_funds() {
    let mut m = Market::new();
    let a = m.account(100, 0);
    let events = m.limit(a, Side::Buy, 30, 3).unwrap();
    let order = order_id(&events);
    assert_eq!(
        events[1..],
        [Event::OrderRested {
            order,
            account: a,
            ticker: m.ticker,
            side: Side::Buy,
            price: Price(30),
            quantity: Quantity(3),
            filled: Quantity(0),
            client_order_id: None,
        }]
    );
    assert_eq!(m.quote(), (Some(30), None));
    assert_eq!(m.credits(a), (10, 90));
    assert_eq!(resting(&m, order), (3, 0));
}

/// S15 (l.923-926), **Recommend**: a limit buy 2@32 against an ask 3@30 trades 2 at the
/// maker's 30 and rests nothing.
#[test]
fn s15_crossing_limit_trades_at_maker_price() {
    let mut m = Market::new();
    let a = m.account(0, 3);
    let b = m.account(100, 0);
    let ask = order_id(&m.limit(a, Side::Sell, 30, 3).unwrap());

    let events = m.limit(b, Side::Buy, 32, 2).unwrap();
    assert_eq!(kinds(&events), ["OrderAccepted", "Trade"]);
    assert_eq!(fills(&events), [fill(30, 2, a, b)]);
    assert_eq!(m.credits(b), (40, 0));
    assert_eq!(m.shares(b), (2, 0));
    assert_eq!(resting(&m, ask), (1, 2));
    assert_eq!(m.exchange.state().open_orders(b, None), []);
    assert_eq!(quote_sizes(&m), (None, Some((30, 1))));
}

/// The sell-side counterpart of S15: a limit sell at 25 against a bid at 30 trades at the
/// maker's 30, and the bid's unused hold is released only as it fills.
#[test]
fn s15_sell_side_crossing_limit_trades_at_maker_price() {
    let mut m = Market::new();
    let a = m.account(300, 0);
    let b = m.account(0, 5);
    let bid = order_id(&m.limit(a, Side::Buy, 30, 4).unwrap());
    let events = m.limit(b, Side::Sell, 25, 3).unwrap();
    assert_eq!(kinds(&events), ["OrderAccepted", "Trade"]);
    assert_eq!(fills(&events), [fill(30, 3, a, b)]);
    assert_eq!(m.credits(b), (90, 0));
    assert_eq!(m.shares(b), (2, 0));
    assert_eq!(m.credits(a), (180, 30));
    assert_eq!(m.shares(a), (3, 0));
    assert_eq!(resting(&m, bid), (1, 3));
}

/// S16 (l.927-930), **Recommend**: a limit buy 5@31 against an ask 2@30 trades 2@30 and
/// rests 3@31, holding 93 credits.
#[test]
fn s16_partial_limit_fill_rests_the_remainder() {
    let mut m = Market::new();
    let a = m.account(0, 2);
    let b = m.account(200, 0);
    m.limit(a, Side::Sell, 30, 2).unwrap();

    let events = m.limit(b, Side::Buy, 31, 5).unwrap();
    let order = order_id(&events);
    assert_eq!(kinds(&events), ["OrderAccepted", "Trade", "OrderRested"]);
    assert_eq!(fills(&events), [fill(30, 2, a, b)]);
    assert!(matches!(
        events[2],
        Event::OrderRested {
            price: Price(31),
            quantity: Quantity(3),
            filled: Quantity(2),
            ..
        }
    ));
    assert_eq!(m.credits(b), (200 - 60 - 93, 93));
    assert_eq!(m.shares(b), (2, 0));
    assert_eq!(resting(&m, order), (3, 2));
    assert_eq!(m.quote(), (Some(31), None));
}

/// S17 (l.931-934), **Recommend**: a limit buy at the ask's price fills at that price; the
/// book is never locked.
#[test]
fn s17_equal_price_limit_fills() {
    let mut m = Market::new();
    let a = m.account(0, 3);
    let b = m.account(100, 0);
    m.limit(a, Side::Sell, 35, 3).unwrap();

    let events = m.limit(b, Side::Buy, 35, 1).unwrap();
    assert_eq!(fills(&events), [fill(35, 1, a, b)]);
    assert_eq!(quote_sizes(&m), (None, Some((35, 2))));
    assert_eq!(m.credits(b), (65, 0));
}

/// S18 (l.935-940): price 0 and size 0 are rejected (**Recommend** for size). Negative
/// values cannot be expressed (the amounts are unsigned); the upper bounds are checked
/// instead.
#[test]
fn s18_bad_prices_and_sizes() {
    let mut m = Market::new();
    let a = m.account(1000, 10);
    let max_price = exchange_core::limits::PRICE_MAX;
    let max_quantity = exchange_core::limits::QUANTITY_MAX;
    assert_eq!(
        m.limit(a, Side::Buy, 0, 1),
        Err(Rejection::InvalidPrice(Price(0)))
    );
    assert_eq!(
        m.limit(a, Side::Sell, 0, 1),
        Err(Rejection::InvalidPrice(Price(0)))
    );
    assert_eq!(
        m.limit(a, Side::Sell, max_price + 1, 1),
        Err(Rejection::InvalidPrice(Price(max_price + 1)))
    );
    assert_eq!(
        m.limit(a, Side::Buy, 10, 0),
        Err(Rejection::InvalidQuantity(Quantity(0)))
    );
    assert_eq!(
        m.market(a, Side::Sell, 0),
        Err(Rejection::InvalidQuantity(Quantity(0)))
    );
    assert_eq!(
        m.market(a, Side::Buy, max_quantity + 1),
        Err(Rejection::InvalidQuantity(Quantity(max_quantity + 1)))
    );
    // The bounds themselves are valid prices.
    m.limit(a, Side::Sell, max_price, 1).unwrap();
    m.limit(a, Side::Buy, 1, 1).unwrap();
}

// ---------------------------------------------------------------------------------------
// Section 10: validation and quotes (S19-S22), cancels (S24).
// ---------------------------------------------------------------------------------------

/// S19 (l.941): an unknown ticker is `UnknownTicker`; its quote does not exist.
#[test]
fn s19_unknown_ticker() {
    let mut m = Market::new();
    let a = m.account(1000, 10);
    let zzz = TickerId(99);
    let order = NewOrder::limit(zzz, Side::Buy, Price(10), Quantity(1));
    assert_eq!(m.place(a, order), Err(Rejection::UnknownTicker(zzz)));
    let market = NewOrder::market(zzz, Side::Sell, Quantity(1));
    assert_eq!(m.place(a, market), Err(Rejection::UnknownTicker(zzz)));
    assert_eq!(m.exchange.state().quote(zzz), None);
    let symbol = exchange_core::Symbol::new("ZZZ").unwrap();
    assert_eq!(m.exchange.state().ticker_by_symbol(&symbol), None);
}

/// S20 (l.942): any order on a closed ticker is `MarketClosed`.
#[test]
fn s20_closed_ticker_rejects_orders() {
    let mut m = Market::new();
    let a = m.account(1000, 10);
    let ticker = m.ticker;
    m.operator(Action::SetTickerStatus {
        ticker,
        status: TickerStatus::Closed,
    })
    .unwrap();
    assert_eq!(
        m.limit(a, Side::Buy, 10, 1),
        Err(Rejection::MarketClosed(mnad()))
    );
    assert_eq!(
        m.limit(a, Side::Sell, 10, 1),
        Err(Rejection::MarketClosed(mnad()))
    );
    assert_eq!(
        m.market(a, Side::Buy, 1),
        Err(Rejection::MarketClosed(mnad()))
    );
    assert_eq!(
        m.market(a, Side::Sell, 1),
        Err(Rejection::MarketClosed(mnad()))
    );
}

/// S21 (l.943): an order by an account that does not exist is `UnknownAccount`.
#[test]
fn s21_unknown_account() {
    let mut m = Market::new();
    let ghost = AccountId(42);
    assert_eq!(
        m.limit(ghost, Side::Buy, 10, 1),
        Err(Rejection::UnknownAccount(ghost))
    );
    assert_eq!(
        m.market(ghost, Side::Sell, 1),
        Err(Rejection::UnknownAccount(ghost))
    );
}

/// S22 (l.944): an empty book has no bid and no ask (our "-1" is `None`); with bids at 30
/// and 29 and asks at 35 and 36, the quote is 30/35.
#[test]
fn s22_quote_shows_best_levels() {
    let mut m = Market::new();
    assert_eq!(m.quote(), (None, None));
    let bidder = m.account(1000, 0);
    let asker = m.account(0, 10);
    m.limit(bidder, Side::Buy, 29, 1).unwrap();
    m.limit(bidder, Side::Buy, 30, 2).unwrap();
    m.limit(asker, Side::Sell, 36, 3).unwrap();
    m.limit(asker, Side::Sell, 35, 4).unwrap();
    assert_eq!(quote_sizes(&m), (Some((30, 2)), Some((35, 4))));
    let depth = m.exchange.state().depth(m.ticker, 10).unwrap();
    let prices =
        |levels: &[exchange_core::LevelView]| levels.iter().map(|l| l.price.0).collect::<Vec<_>>();
    assert_eq!(prices(&depth.bids), [30, 29]);
    assert_eq!(prices(&depth.asks), [35, 36]);
}

/// S24 (l.950-955): cancel-all on MNAD removes A's two orders there and releases their
/// holds; a second cancel-all succeeds with no events; cancel-all on an unknown ticker is
/// `UnknownTicker`. A's order on another ticker is kept until a cancel-all without ticker.
#[test]
fn s24_cancel_all() {
    let mut m = Market::new();
    let xyz = m.add_ticker("XYZ");
    let a = m.account(1000, 10);
    let other = m.place(a, NewOrder::limit(xyz, Side::Buy, Price(5), Quantity(4)));
    let other = order_id(&other.unwrap());
    let bid = order_id(&m.limit(a, Side::Buy, 30, 2).unwrap());
    let ask = order_id(&m.limit(a, Side::Sell, 35, 3).unwrap());
    assert_eq!((m.credits(a), m.shares(a)), ((920, 80), (7, 3)));

    let mnad = Some(m.ticker);
    let events = m.by(a, Action::CancelAllOrders { ticker: mnad }).unwrap();
    assert_eq!(
        cancels(&events),
        [
            (bid, 2, CancelReason::CancelAll),
            (ask, 3, CancelReason::CancelAll)
        ]
    );
    assert_eq!(m.quote(), (None, None));
    assert_eq!((m.credits(a), m.shares(a)), ((980, 20), (10, 0)));
    assert_eq!(m.exchange.state().open_orders(a, mnad), []);
    assert_eq!(
        m.by(a, Action::CancelAllOrders { ticker: mnad }),
        Ok(vec![])
    );

    // The order on the other ticker was left alone; cancel-all without a ticker takes it.
    assert_eq!(resting(&m, other), (4, 0));
    let events = m.by(a, Action::CancelAllOrders { ticker: None }).unwrap();
    assert_eq!(cancels(&events), [(other, 4, CancelReason::CancelAll)]);
    assert_eq!(m.credits(a), (1000, 0));
    assert_eq!(m.exchange.state().open_orders(a, None), []);
    assert_eq!(
        m.by(a, Action::CancelAllOrders { ticker: None }),
        Ok(vec![])
    );

    let zzz = TickerId(99);
    assert_eq!(
        m.by(a, Action::CancelAllOrders { ticker: Some(zzz) }),
        Err(Rejection::UnknownTicker(zzz))
    );
}

/// An account whose orders came and went by the hundred (cancelled, filled, on two tickers)
/// still cancels exactly its resting orders, in id order: its list of orders drops the
/// departed ones without losing a resting one.
#[test]
fn cancel_all_after_many_departures_names_only_resting_orders() {
    let mut m = Market::new();
    let xyz = m.add_ticker("XYZ");
    let a = m.account(1_000_000, 0);
    let b = m.account(0, 1_000);
    let mut kept = Vec::new();
    for n in 0..400u64 {
        let (ticker, price) = match n % 8 {
            0 => (m.ticker, 11), // the best bid, for the market sell below to fill
            _ if n % 2 == 0 => (m.ticker, 10),
            _ => (xyz, 20),
        };
        let placed = m.place(
            a,
            NewOrder::limit(ticker, Side::Buy, Price(price), Quantity(1)),
        );
        let id = order_id(&placed.unwrap());
        match n % 4 {
            0 if n % 8 == 0 => {
                // Filled by a market sell: the bid just placed is the only one at 11.
                m.market(b, Side::Sell, 1).unwrap();
            }
            1 | 2 => {
                m.cancel(a, OrderRef::Id(id)).unwrap();
            }
            _ => kept.push((ticker, id)),
        }
    }
    let mnad: Vec<OrderId> = kept
        .iter()
        .filter(|(ticker, _)| *ticker == m.ticker)
        .map(|&(_, id)| id)
        .collect();
    let open = m.exchange.state().open_orders(a, Some(m.ticker));
    assert_eq!(open.iter().map(|o| o.id).collect::<Vec<_>>(), mnad);
    let ticker = Some(m.ticker);
    let events = m.by(a, Action::CancelAllOrders { ticker }).unwrap();
    let cancelled: Vec<OrderId> = cancels(&events).into_iter().map(|(id, ..)| id).collect();
    assert_eq!(cancelled, mnad);
    let rest: Vec<OrderId> = kept
        .iter()
        .filter(|(ticker, _)| *ticker == xyz)
        .map(|&(_, id)| id)
        .collect();
    let events = m.by(a, Action::CancelAllOrders { ticker: None }).unwrap();
    let cancelled: Vec<OrderId> = cancels(&events).into_iter().map(|(id, ..)| id).collect();
    assert_eq!(cancelled, rest);
    assert_eq!(m.credits(a).1, 0);
}

/// Replaying a log checks price-time priority itself: a trade event that names a later
/// order at the best price, instead of the oldest one, is refused by `evolve`.
#[test]
#[should_panic(expected = "a trade fills the oldest order at the best price")]
fn applying_a_trade_that_skips_the_oldest_order_at_the_best_price_panics() {
    let mut m = Market::new();
    let first = m.account(0, 10);
    let second = m.account(0, 10);
    let buyer = m.account(1_000, 0);
    m.limit(first, Side::Sell, 30, 2).unwrap();
    let later = order_id(&m.limit(second, Side::Sell, 30, 2).unwrap());
    let mut state = m.exchange.state().clone();
    let order = NewOrder::limit(m.ticker, Side::Buy, Price(30), Quantity(1));
    let command = exchange_core::Command::by(buyer, Action::PlaceOrder(order));
    let mut events = exchange_core::decide(&state, &command).unwrap();
    for event in &mut events {
        if let Event::Trade {
            maker_order,
            maker_account,
            ..
        } = event
        {
            (*maker_order, *maker_account) = (later, second);
        }
    }
    for event in &events {
        exchange_core::evolve(&mut state, event);
    }
}

// ---------------------------------------------------------------------------------------
// Section 10: credits, orchestration and liquidation (S25-S30).
// ---------------------------------------------------------------------------------------

/// S25 (l.957-962): a transfer of 150 moves available credits (the Kafka and WebSocket
/// parts are server concerns and not tested here).
#[test]
fn s25_credit_transfer() {
    let mut m = Market::new();
    let mm = m.account(700, 0);
    let orch = m.account_of_kind(AccountKind::Orchestrator, 50, 0);
    let events = transfer(&mut m, mm, orch, 150).unwrap();
    assert_eq!(
        events,
        [Event::CreditsTransferred {
            from: mm,
            to: orch,
            amount: Credits(150),
            reason: TransferReason::Payment,
        }]
    );
    assert_eq!(m.credits(mm), (550, 0));
    assert_eq!(m.credits(orch), (200, 0));
}

/// S26 (l.963-967): transfer errors. "No session" is a server concern. **Recommend**: a
/// zero amount is rejected (negative amounts cannot be expressed). Held credits cannot be
/// transferred either.
#[test]
fn s26_transfer_errors() {
    let mut m = Market::new();
    let a = m.account(100, 0);
    let b = m.account(0, 0);
    assert_eq!(
        transfer(&mut m, a, b, 150),
        Err(Rejection::InsufficientCredits {
            needed: Credits(150),
            available: Credits(100)
        })
    );
    let ghost = AccountId(77);
    assert_eq!(
        transfer(&mut m, a, ghost, 10),
        Err(Rejection::UnknownAccount(ghost))
    );
    assert_eq!(transfer(&mut m, a, b, 0), Err(Rejection::InvalidAmount));

    m.limit(a, Side::Buy, 30, 3).unwrap(); // holds 90
    assert_eq!(
        transfer(&mut m, a, b, 11),
        Err(Rejection::InsufficientCredits {
            needed: Credits(11),
            available: Credits(10)
        })
    );
    transfer(&mut m, a, b, 10).unwrap();
    assert_eq!(m.credits(a), (0, 90));
    assert_eq!(m.credits(b), (10, 0));
}

/// S27 (l.968-973): an orchestrator with 1100 creates an account funded with 150. A
/// standard caller is `NotOrchestrator`; an orchestrator with 100 is `InsufficientCredits`.
/// The duplicate-email case has no counterpart: the engine assigns account ids itself.
#[test]
fn s27_orchestrated_signup() {
    let mut m = Market::new();
    let orch = m.account_of_kind(AccountKind::Orchestrator, 1100, 0);
    let events = m
        .by(
            orch,
            Action::CreateOrchestratedAccount {
                initial_credits: Credits(150),
            },
        )
        .unwrap();
    let u1 = AccountId(orch.0 + 1);
    assert_eq!(
        events,
        [
            Event::AccountCreated {
                account: u1,
                kind: AccountKind::Standard,
                orchestrated_by: Some(orch)
            },
            Event::CreditsTransferred {
                from: orch,
                to: u1,
                amount: Credits(150),
                reason: TransferReason::Funding
            },
        ]
    );
    assert_eq!(m.credits(orch), (950, 0));
    assert_eq!(m.credits(u1), (150, 0));
    let view = m.exchange.state().account(u1).unwrap();
    assert_eq!(view.kind, AccountKind::Standard);
    assert_eq!(view.orchestrated_by, Some(orch));
    assert_eq!(view.status, AccountStatus::Active);

    let standard = m.account(1000, 0);
    assert_eq!(
        m.by(
            standard,
            Action::CreateOrchestratedAccount {
                initial_credits: Credits(150)
            }
        ),
        Err(Rejection::NotOrchestrator(standard))
    );
    let poor = m.account_of_kind(AccountKind::Orchestrator, 100, 0);
    assert_eq!(
        m.by(
            poor,
            Action::CreateOrchestratedAccount {
                initial_credits: Credits(150)
            }
        ),
        Err(Rejection::InsufficientCredits {
            needed: Credits(150),
            available: Credits(100)
        })
    );
    assert_eq!(m.credits(poor), (100, 0));
}

/// S28 (l.974-978): liquidating u1 (40 credits, 2 shares) moves everything to the
/// orchestrator (950 + 40, 5 + 2 shares). **Recommend**: u1's open orders are cancelled,
/// including the credits and shares they held. Another orchestrator may not liquidate it.
#[test]
fn s28_liquidate_single() {
    let mut m = Market::new();
    let orch = m.account_of_kind(AccountKind::Orchestrator, 990, 5);
    let u1 = orchestrated(&mut m, orch, 40);
    m.fund(u1, 0, 2);
    assert_eq!(m.credits(orch), (950, 0));
    let bid = order_id(&m.limit(u1, Side::Buy, 10, 1).unwrap());
    let ask = order_id(&m.limit(u1, Side::Sell, 50, 1).unwrap());
    assert_eq!((m.credits(u1), m.shares(u1)), ((30, 10), (1, 1)));

    let other = m.account_of_kind(AccountKind::Orchestrator, 0, 0);
    assert_eq!(
        liquidate(&mut m, other, u1),
        Err(Rejection::NotYourOrchestratedAccount {
            account: u1,
            orchestrator: other
        })
    );

    let events = liquidate(&mut m, orch, u1).unwrap();
    assert_eq!(
        kinds(&events),
        [
            "OrderCancelled",
            "OrderCancelled",
            "CreditsTransferred",
            "SharesTransferred",
            "AccountClosed"
        ]
    );
    assert_eq!(
        cancels(&events),
        [
            (bid, 1, CancelReason::Liquidation),
            (ask, 1, CancelReason::Liquidation)
        ]
    );
    assert!(events.contains(&Event::CreditsTransferred {
        from: u1,
        to: orch,
        amount: Credits(40),
        reason: TransferReason::Liquidation
    }));
    assert!(events.contains(&Event::SharesTransferred {
        from: u1,
        to: orch,
        ticker: m.ticker,
        quantity: Quantity(2),
        reason: TransferReason::Liquidation
    }));
    assert_eq!(m.credits(u1), (0, 0));
    assert_eq!(positions(&m, u1), []);
    assert_eq!(
        m.exchange.state().account(u1).unwrap().status,
        AccountStatus::Closed
    );
    assert_eq!(m.credits(orch), (990, 0));
    assert_eq!(m.shares(orch), (7, 0));
    assert_eq!(positions(&m, orch).len(), 1);
    assert_eq!(m.quote(), (None, None));
}

/// S29 (l.979-981): liquidate-all moves u1's (40, 2 shares) and u2's (10, 0) to O.
#[test]
fn s29_liquidate_all() {
    let mut m = Market::new();
    let o = m.account_of_kind(AccountKind::Orchestrator, 50, 0);
    let u1 = orchestrated(&mut m, o, 40);
    let u2 = orchestrated(&mut m, o, 10);
    m.fund(u1, 0, 2);
    assert_eq!(m.credits(o), (0, 0));

    let events = m.by(o, Action::LiquidateAll).unwrap();
    assert_eq!(
        kinds(&events),
        [
            "CreditsTransferred",
            "SharesTransferred",
            "AccountClosed",
            "CreditsTransferred",
            "AccountClosed"
        ]
    );
    assert_eq!(m.credits(o), (50, 0));
    assert_eq!(m.shares(o), (2, 0));
    for u in [u1, u2] {
        assert_eq!(m.credits(u), (0, 0));
        assert_eq!(positions(&m, u), []);
        assert_eq!(
            m.exchange.state().account(u).unwrap().status,
            AccountStatus::Closed
        );
    }
}

/// S30 (l.982-986), **Recommend**: with escrow, U (100 credits) cannot place a second bid
/// of 1@60, so a market sell of 2 fills only one bid and U never goes negative.
#[test]
fn s30_no_negative_balances() {
    let mut m = Market::new();
    let u = m.account(100, 0);
    let c = m.account(0, 2);
    m.limit(u, Side::Buy, 60, 1).unwrap();
    assert_eq!(
        m.limit(u, Side::Buy, 60, 1),
        Err(Rejection::InsufficientCredits {
            needed: Credits(60),
            available: Credits(40)
        })
    );
    let events = m.market(c, Side::Sell, 2).unwrap();
    assert_eq!(fills(&events), [fill(60, 1, u, c)]);
    assert_eq!(dropped(&events), Some((1, RemainderReason::NoLiquidity)));
    assert_eq!(m.credits(u), (40, 0));
    assert_eq!(m.shares(u), (1, 0));
    assert_eq!(m.credits(c), (60, 0));
    assert_eq!(m.shares(c), (1, 0));
}

// ---------------------------------------------------------------------------------------
// Section 10: notifications (S31-S33), mapped to balance alerts.
// ---------------------------------------------------------------------------------------

/// S31 (l.988-992). Notifications map to balance alerts on total credits. The MM at 640
/// with an "above 650" alert is notified when a trade lifts it to 660. **Deliberate
/// difference** (defect 28): the alert fires once, not again on every further event while
/// the balance stays above. Other accounts get no alert events.
#[test]
fn s31_alert_fires_when_a_trade_crosses_it() {
    let mut m = Market::new();
    let mm = m.account(640, 10);
    let buyer = m.account(1000, 0);
    let events = set_alert(&mut m, mm, AlertDirection::Above, 650).unwrap();
    assert_eq!(
        events,
        [Event::AlertSet {
            account: mm,
            direction: AlertDirection::Above,
            threshold: Credits(650)
        }]
    );

    m.limit(mm, Side::Sell, 20, 1).unwrap();
    let events = m.market(buyer, Side::Buy, 1).unwrap();
    assert_eq!(kinds(&events), ["OrderAccepted", "Trade", "AlertTriggered"]);
    assert_eq!(
        events[2],
        Event::AlertTriggered {
            account: mm,
            direction: AlertDirection::Above,
            threshold: Credits(650),
            balance: Credits(660)
        }
    );

    m.limit(mm, Side::Sell, 10, 1).unwrap();
    let events = m.market(buyer, Side::Buy, 1).unwrap();
    assert_eq!(kinds(&events), ["OrderAccepted", "Trade"]);
    assert_eq!(total_credits(&m, mm), 670);
}

/// S32 (l.993-997): clearing removes the alert (**Recommend**: really deleted, so a later
/// crossing fires nothing and a second clear is `AlertNotSet`); setting an alert in the
/// same direction replaces the first.
#[test]
fn s32_clear_and_replace_alert() {
    let mut m = Market::new();
    let u = m.account(500, 0);
    let other = m.account(0, 0);
    set_alert(&mut m, u, AlertDirection::Below, 300).unwrap();
    set_alert(&mut m, u, AlertDirection::Below, 100).unwrap(); // replaces 300

    // 500 -> 250: below the replaced 300 but not below 100, so nothing fires.
    let events = transfer(&mut m, u, other, 250).unwrap();
    assert_eq!(kinds(&events), ["CreditsTransferred"]);
    // 250 -> 50: below 100.
    let events = transfer(&mut m, u, other, 200).unwrap();
    assert_eq!(alert_events(&events), [(u, "AlertTriggered", Some(50))]);

    let events = m
        .by(
            u,
            Action::ClearAlert {
                direction: AlertDirection::Below,
            },
        )
        .unwrap();
    assert_eq!(
        events,
        [Event::AlertCleared {
            account: u,
            direction: AlertDirection::Below
        }]
    );
    assert_eq!(
        m.by(
            u,
            Action::ClearAlert {
                direction: AlertDirection::Below
            }
        ),
        Err(Rejection::AlertNotSet(AlertDirection::Below))
    );
    // Up and down across 100 again: no alert exists, so nothing fires or re-arms.
    let events = transfer(&mut m, other, u, 100).unwrap();
    assert_eq!(kinds(&events), ["CreditsTransferred"]);
    let events = transfer(&mut m, u, other, 100).unwrap();
    assert_eq!(kinds(&events), ["CreditsTransferred"]);
}

/// S33 (l.998). U at 50 credits sets "below 100". **Deliberate difference**: the alert
/// fires in the same command that sets it (the condition already holds), rather than on
/// "the next order event of any user"; other users' events do not fire it again.
#[test]
fn s33_alert_already_true_fires_on_set() {
    let mut m = Market::new();
    let u = m.account(50, 0);
    let x = m.account(1000, 5);
    let y = m.account(1000, 0);
    let events = set_alert(&mut m, u, AlertDirection::Below, 100).unwrap();
    assert_eq!(
        events,
        [
            Event::AlertSet {
                account: u,
                direction: AlertDirection::Below,
                threshold: Credits(100)
            },
            Event::AlertTriggered {
                account: u,
                direction: AlertDirection::Below,
                threshold: Credits(100),
                balance: Credits(50)
            },
        ]
    );
    m.limit(x, Side::Sell, 10, 1).unwrap();
    let events = m.market(y, Side::Buy, 1).unwrap();
    assert_eq!(alert_events(&events), []);
}

// ---------------------------------------------------------------------------------------
// Section 10: invariants (S46).
// ---------------------------------------------------------------------------------------

/// S46 (l.1055-1059): after a scripted mix of orders, cancels, amendments, transfers,
/// signups and liquidations on two tickers, total credits and per-ticker shares are
/// unchanged, and every resting order has a positive size. (Balances cannot be negative:
/// they are unsigned and every debit is checked; the fixture runs the full invariant check
/// after each command. Randomised sequences are in `properties.rs`.)
#[test]
fn s46_money_and_shares_are_conserved() {
    let mut m = Market::new();
    let xyz = m.add_ticker("XYZ");
    let orch = m.account_of_kind(AccountKind::Orchestrator, 2000, 40);
    let a = m.account(1000, 30);
    let b = m.account(1500, 0);
    issue(&mut m, a, xyz, 25);
    issue(&mut m, orch, xyz, 5);
    let credits = m.exchange.state().credits_total().0;
    assert_eq!(credits, 4500);
    assert_eq!(credits_in_accounts(&m), credits);
    let shares = (
        shares_in_accounts(&m, m.ticker),
        shares_in_accounts(&m, xyz),
    );
    assert_eq!(shares, (70, 30));

    let u1 = orchestrated(&mut m, orch, 300);
    let u2 = orchestrated(&mut m, orch, 200);
    m.limit(a, Side::Sell, 21, 10).unwrap();
    m.limit(a, Side::Sell, 23, 5).unwrap();
    m.place(a, NewOrder::limit(xyz, Side::Sell, Price(7), Quantity(20)))
        .unwrap();
    m.limit(u1, Side::Buy, 20, 5).unwrap();
    m.market(u1, Side::Buy, 4).unwrap();
    m.place(u2, NewOrder::limit(xyz, Side::Buy, Price(8), Quantity(10)))
        .unwrap();
    let bid = order_id(&m.limit(b, Side::Buy, 19, 30).unwrap());
    m.amend(b, OrderRef::Id(bid), 18, 40).unwrap();
    m.market(orch, Side::Sell, 12).unwrap();
    transfer(&mut m, b, u2, 77).unwrap();
    m.place(u2, NewOrder::market(xyz, Side::Buy, Quantity(20)))
        .unwrap();
    m.by(a, Action::CancelAllOrders { ticker: Some(xyz) })
        .unwrap();
    liquidate(&mut m, orch, u1).unwrap();
    m.limit(b, Side::Buy, 22, 3).unwrap();
    m.by(orch, Action::LiquidateAll).unwrap();

    assert_eq!(m.exchange.state().credits_total().0, credits);
    assert_eq!(credits_in_accounts(&m), credits);
    assert_eq!(
        (
            shares_in_accounts(&m, m.ticker),
            shares_in_accounts(&m, xyz)
        ),
        shares
    );
    let tickers = m.exchange.state().tickers();
    assert_eq!(
        tickers.iter().map(|t| t.shares_total.0).collect::<Vec<_>>(),
        [70, 30]
    );
    assert!(tickers.iter().all(|t| t.trades > 0));
    for ticker in [m.ticker, xyz] {
        for side in [Side::Buy, Side::Sell] {
            for order in m.exchange.state().book_orders(ticker, side) {
                assert!(order.remaining.0 > 0, "{order:?}");
            }
        }
    }
    assert!(m.exchange.state().orders_resting() > 0);
}

// ---------------------------------------------------------------------------------------
// Section 9.1: regression tests for the engine defects.
// ---------------------------------------------------------------------------------------

/// Defect 4 (l.764): a transfer of zero is rejected `InvalidAmount` (a negative amount
/// cannot be expressed: `Credits` is unsigned). Deposits of zero likewise.
#[test]
fn defect_04_transfer_amount_must_be_positive() {
    let mut m = Market::new();
    let a = m.account(100, 0);
    let b = m.account(0, 0);
    assert_eq!(transfer(&mut m, a, b, 0), Err(Rejection::InvalidAmount));
    assert_eq!(
        m.operator(Action::DepositCredits {
            account: a,
            amount: Credits(0)
        }),
        Err(Rejection::InvalidAmount)
    );
    assert_eq!((m.credits(a), m.credits(b)), ((100, 0), (0, 0)));
}

/// Defect 5 (l.765): liquidation cannot create money. Only the target's own orchestrator
/// may liquidate it; the orchestrator receives exactly what the target held (available
/// and held credits), total credits stay the same, and a closed account cannot be
/// liquidated again.
#[test]
fn defect_05_liquidation_cannot_create_money() {
    let mut m = Market::new();
    let o1 = m.account_of_kind(AccountKind::Orchestrator, 500, 0);
    let o2 = m.account_of_kind(AccountKind::Orchestrator, 500, 0);
    let admin = m.account_of_kind(AccountKind::Admin, 0, 0);
    let u1 = orchestrated(&mut m, o1, 120);
    m.limit(u1, Side::Buy, 25, 4).unwrap(); // holds 100
    assert_eq!(m.credits(u1), (20, 100));
    let total = m.exchange.state().credits_total().0;

    assert_eq!(
        liquidate(&mut m, o2, u1),
        Err(Rejection::NotYourOrchestratedAccount {
            account: u1,
            orchestrator: o2
        })
    );
    assert_eq!(
        liquidate(&mut m, admin, u1),
        Err(Rejection::NotOrchestrator(admin))
    );
    assert_eq!(
        m.operator(Action::LiquidateAccount { account: u1 }),
        Err(Rejection::AccountRequired)
    );

    liquidate(&mut m, o1, u1).unwrap();
    assert_eq!(m.credits(o1), (500, 0));
    assert_eq!(m.credits(o2), (500, 0));
    assert_eq!(m.credits(u1), (0, 0));
    assert_eq!(m.exchange.state().credits_total().0, total);
    assert_eq!(credits_in_accounts(&m), total);
    assert_eq!(liquidate(&mut m, o1, u1), Err(Rejection::AccountClosed(u1)));
    assert_eq!(m.by(o1, Action::LiquidateAll), Ok(vec![]));
}

/// Defect 6 (l.768): both sides walk best price first whatever order the levels were
/// created in (asks ascending, bids descending).
#[test]
fn defect_06_levels_are_walked_best_price_first() {
    let mut m = Market::new();
    let seller = m.account(0, 10);
    let buyer = m.account(10_000, 0);
    for price in [160, 150, 155] {
        m.limit(seller, Side::Sell, price, 1).unwrap();
    }
    let events = m.market(buyer, Side::Buy, 3).unwrap();
    let prices: Vec<u64> = fills(&events).iter().map(|f| f.price).collect();
    assert_eq!(prices, [150, 155, 160]);
    assert_eq!(m.credits(buyer), (10_000 - 465, 0));

    for price in [130, 140, 135] {
        m.limit(buyer, Side::Buy, price, 1).unwrap();
    }
    let book: Vec<u64> = m
        .exchange
        .state()
        .book_orders(m.ticker, Side::Buy)
        .iter()
        .map(|o| o.price.0)
        .collect();
    assert_eq!(book, [140, 135, 130]);
    let events = m.market(seller, Side::Sell, 3).unwrap();
    let prices: Vec<u64> = fills(&events).iter().map(|f| f.price).collect();
    assert_eq!(prices, [140, 135, 130]);
    assert_eq!(m.credits(seller), (465 + 405, 0));
}

/// Defect 7 (l.769): crossing is inclusive, so equal prices trade (both ways) and the
/// book is never locked.
#[test]
fn defect_07_equal_prices_cross() {
    let mut m = Market::new();
    let a = m.account(1000, 10);
    let b = m.account(1000, 10);
    m.limit(a, Side::Sell, 35, 2).unwrap();
    let events = m.limit(b, Side::Buy, 35, 1).unwrap();
    assert_eq!(fills(&events), [fill(35, 1, a, b)]);
    assert_eq!(m.quote(), (None, Some(35)));

    m.limit(a, Side::Buy, 30, 2).unwrap();
    let events = m.limit(b, Side::Sell, 30, 1).unwrap();
    assert_eq!(fills(&events), [fill(30, 1, a, b)]);
    assert_eq!(m.quote(), (Some(30), Some(35)));
    assert_eq!(
        m.exchange.state().ticker(m.ticker).unwrap().last_price,
        Some(Price(30))
    );
}

/// Defect 8 (l.770): crossing counts shares, not orders. One ask of 5 fully covers a buy
/// of 3 (nothing rests); three asks of 1 share cover a buy of 2 exactly (nothing rests,
/// the third stays); a buy of 5 against 3 shares trades 3 and rests exactly 2.
#[test]
fn defect_08_crossing_counts_shares_not_orders() {
    let mut m = Market::new();
    let sellers: Vec<AccountId> = (0..3).map(|_| m.account(0, 10)).collect();
    let buyer = m.account(10_000, 0);
    let big = order_id(&m.limit(sellers[0], Side::Sell, 30, 5).unwrap());
    let events = m.limit(buyer, Side::Buy, 30, 3).unwrap();
    assert_eq!(kinds(&events), ["OrderAccepted", "Trade"]);
    assert_eq!(trade_orders(&events), [(30, 3, big)]);
    m.by(
        sellers[0],
        Action::CancelOrder {
            order: OrderRef::Id(big),
        },
    )
    .unwrap();

    let small: Vec<OrderId> = sellers
        .iter()
        .map(|&s| order_id(&m.limit(s, Side::Sell, 30, 1).unwrap()))
        .collect();
    let events = m.limit(buyer, Side::Buy, 30, 2).unwrap();
    assert_eq!(kinds(&events), ["OrderAccepted", "Trade", "Trade"]);
    assert_eq!(
        trade_orders(&events),
        [(30, 1, small[0]), (30, 1, small[1])]
    );
    assert_eq!(resting(&m, small[2]), (1, 0));

    m.limit(sellers[0], Side::Sell, 31, 2).unwrap();
    let events = m.limit(buyer, Side::Buy, 31, 5).unwrap();
    assert_eq!(
        kinds(&events),
        ["OrderAccepted", "Trade", "Trade", "OrderRested"]
    );
    let rested = order_id(&events);
    assert_eq!(resting(&m, rested), (2, 3));
    assert_eq!(m.shares(buyer), (3 + 2 + 3, 0));
    assert_eq!(m.credits(buyer), (10_000 - 90 - 60 - 30 - 62 - 62, 62));
}

/// Defect 9 (l.771): a partial fill and the resting remainder happen in one command, with
/// one consistent result; and an order that cannot complete (FOK) changes nothing at all,
/// even though matching had found trades.
#[test]
fn defect_09_partial_fill_and_rest_are_atomic() {
    let mut m = Market::new();
    let a = m.account(0, 2);
    let b = m.account(200, 0);
    let ask = order_id(&m.limit(a, Side::Sell, 30, 2).unwrap());

    let fok = with_tif(&m, Side::Buy, 31, 5, TimeInForce::Fok);
    assert_eq!(m.place(b, fok), Err(Rejection::FokNotFillable));
    assert_eq!(resting(&m, ask), (2, 0));
    assert_eq!(m.credits(b), (200, 0));

    let events = m.limit(b, Side::Buy, 31, 5).unwrap();
    let order = order_id(&events);
    assert_eq!(kinds(&events), ["OrderAccepted", "Trade", "OrderRested"]);
    assert_eq!(resting(&m, order), (3, 2));
    assert_eq!(m.credits(b), (200 - 60 - 93, 93));
    assert_eq!(m.shares(b), (2, 0));
    assert!(is_closed(&m, ask));
}

/// Defect 10 (l.772): a buyer with no position in a ticker receives its shares, as maker
/// and as taker (on a freshly listed ticker nobody held before).
#[test]
fn defect_10_buyer_without_position_receives_shares() {
    let mut m = Market::new();
    let xyz = m.add_ticker("XYZ");
    let seller = m.account(0, 0);
    let maker = m.account(100, 0);
    let taker = m.account(100, 0);
    issue(&mut m, seller, xyz, 5);
    assert_eq!(positions(&m, maker), []);

    m.place(
        maker,
        NewOrder::limit(xyz, Side::Buy, Price(10), Quantity(2)),
    )
    .unwrap();
    let events = m
        .place(seller, NewOrder::market(xyz, Side::Sell, Quantity(2)))
        .unwrap();
    assert_eq!(fills(&events), [fill(10, 2, maker, seller)]);
    assert_eq!(
        positions(&m, maker),
        [PositionView {
            ticker: xyz,
            available: Quantity(2),
            held: Quantity(0)
        }]
    );
    assert_eq!(m.credits(maker), (80, 0));

    m.place(
        seller,
        NewOrder::limit(xyz, Side::Sell, Price(12), Quantity(3)),
    )
    .unwrap();
    m.place(taker, NewOrder::market(xyz, Side::Buy, Quantity(3)))
        .unwrap();
    assert_eq!(
        positions(&m, taker),
        [PositionView {
            ticker: xyz,
            available: Quantity(3),
            held: Quantity(0)
        }]
    );
    assert_eq!(m.credits(taker), (64, 0));
    assert_eq!(positions(&m, seller), []);
    assert_eq!(m.credits(seller), (56, 0));
}

/// Defect 11 (l.773): funds are escrowed. Held credits back only their order (a second
/// bid, a transfer or an amendment cannot use them), and sell eligibility counts only the
/// ticker being sold, never shares of another ticker.
#[test]
fn defect_11_escrow_and_per_ticker_share_checks() {
    let mut m = Market::new();
    let xyz = m.add_ticker("XYZ");
    let a = m.account(100, 0);
    let b = m.account(0, 0);
    issue(&mut m, a, xyz, 10);

    let bid = order_id(&m.limit(a, Side::Buy, 60, 1).unwrap());
    assert_eq!(m.credits(a), (40, 60));
    let short = |needed: u64| -> Result<Vec<Event>, Rejection> {
        Err(Rejection::InsufficientCredits {
            needed: Credits(needed),
            available: Credits(40),
        })
    };
    assert_eq!(m.limit(a, Side::Buy, 60, 1), short(60));
    assert_eq!(transfer(&mut m, a, b, 41), short(41));
    assert_eq!(m.amend(a, OrderRef::Id(bid), 60, 2), short(60));

    let no_mnad = Err(Rejection::InsufficientShares {
        needed: Quantity(1),
        available: Quantity(0),
    });
    assert_eq!(m.market(a, Side::Sell, 1), no_mnad);
    assert_eq!(m.limit(a, Side::Sell, 1, 1), no_mnad);

    m.place(a, NewOrder::limit(xyz, Side::Sell, Price(5), Quantity(10)))
        .unwrap();
    assert_eq!(
        m.place(a, NewOrder::market(xyz, Side::Sell, Quantity(1))),
        Err(Rejection::InsufficientShares {
            needed: Quantity(1),
            available: Quantity(0)
        })
    );
}

/// Defect 12 (l.774): a position that reaches zero disappears, for a maker and a taker.
#[test]
fn defect_12_empty_positions_do_not_linger() {
    let mut m = Market::new();
    let maker = m.account(0, 2);
    let taker = m.account(0, 3);
    let buyer = m.account(1000, 0);
    m.limit(maker, Side::Sell, 10, 2).unwrap();
    m.market(buyer, Side::Buy, 2).unwrap();
    assert_eq!(positions(&m, maker), []);
    assert_eq!(m.shares(maker), (0, 0));

    m.limit(buyer, Side::Buy, 9, 3).unwrap();
    m.market(taker, Side::Sell, 3).unwrap();
    assert_eq!(positions(&m, taker), []);
    assert_eq!(m.shares(buyer), (5, 0));
}

/// Defect 13 (l.775): a size of zero is rejected everywhere a size is given.
#[test]
fn defect_13_size_must_be_positive() {
    let mut m = Market::new();
    let a = m.account(1000, 10);
    let zero = Err(Rejection::InvalidQuantity(Quantity(0)));
    assert_eq!(m.limit(a, Side::Buy, 10, 0), zero);
    assert_eq!(m.limit(a, Side::Sell, 10, 0), zero);
    assert_eq!(m.market(a, Side::Buy, 0), zero);
    assert_eq!(m.market(a, Side::Sell, 0), zero);
    let ioc = with_tif(&m, Side::Buy, 10, 0, TimeInForce::Ioc);
    assert_eq!(m.place(a, ioc), zero);
    let bid = order_id(&m.limit(a, Side::Buy, 10, 1).unwrap());
    assert_eq!(m.amend(a, OrderRef::Id(bid), 10, 0), zero);
    let ticker = m.ticker;
    assert_eq!(
        m.operator(Action::IssueShares {
            account: a,
            ticker,
            quantity: Quantity(0)
        }),
        zero
    );
}

/// Defect 14 (l.776): no orphaned orders. Liquidation cancels the account's orders, so
/// they leave the quote; a filled order leaves the quote too.
#[test]
fn defect_14_liquidation_removes_orders_from_the_quote() {
    let mut m = Market::new();
    let o = m.account_of_kind(AccountKind::Orchestrator, 1000, 0);
    let u = orchestrated(&mut m, o, 500);
    m.fund(u, 0, 5);
    m.limit(u, Side::Buy, 40, 2).unwrap();
    m.limit(u, Side::Sell, 45, 5).unwrap();
    assert_eq!(m.quote(), (Some(40), Some(45)));

    liquidate(&mut m, o, u).unwrap();
    assert_eq!(m.quote(), (None, None));
    assert_eq!(m.exchange.state().orders_resting(), 0);
    assert_eq!(m.exchange.state().open_orders(u, None), []);
    assert_eq!(m.exchange.state().account(u).unwrap().orders_open, 0);

    let seller = m.account(0, 1);
    m.limit(seller, Side::Sell, 50, 1).unwrap();
    m.market(o, Side::Buy, 1).unwrap();
    assert_eq!(m.quote(), (None, None));
}

/// Defect 15 (l.777): self-trade prevention is a deliberate, per-order policy. No trade
/// ever has the same maker and taker account; the default cancels the resting order,
/// `CancelIncoming` drops the incoming remainder.
#[test]
fn defect_15_self_trade_prevention_is_deliberate() {
    assert_eq!(SelfTrade::default(), SelfTrade::CancelResting);
    let mut m = Market::new();
    let a = m.account(1000, 10);
    let b = m.account(1000, 10);
    let own = order_id(&m.limit(a, Side::Sell, 30, 2).unwrap());
    let other = order_id(&m.limit(b, Side::Sell, 30, 2).unwrap());

    let incoming = limit_order(&m, Side::Buy, 30, 3).with_self_trade(SelfTrade::CancelIncoming);
    let events = m.place(a, incoming).unwrap();
    assert_eq!(kinds(&events), ["OrderAccepted", "RemainderCancelled"]);
    assert_eq!(dropped(&events), Some((3, RemainderReason::SelfTrade)));
    assert_eq!(resting(&m, own), (2, 0));

    let events = m.limit(a, Side::Buy, 30, 3).unwrap();
    assert_eq!(cancels(&events), [(own, 2, CancelReason::SelfTrade)]);
    assert_eq!(trade_orders(&events), [(30, 2, other)]);
    assert!(fills(&events).iter().all(|f| f.maker != f.taker));
}

/// Defect 27 (l.795): clearing an alert really removes it: nothing fires afterwards and a
/// second clear is `AlertNotSet`.
#[test]
fn defect_27_cleared_alert_is_gone() {
    let mut m = Market::new();
    let u = m.account(100, 0);
    let v = m.account(0, 0);
    set_alert(&mut m, u, AlertDirection::Below, 50).unwrap();
    m.by(
        u,
        Action::ClearAlert {
            direction: AlertDirection::Below,
        },
    )
    .unwrap();
    let events = transfer(&mut m, u, v, 80).unwrap();
    assert_eq!(alert_events(&events), []);
    assert_eq!(
        m.by(
            u,
            Action::ClearAlert {
                direction: AlertDirection::Below
            }
        ),
        Err(Rejection::AlertNotSet(AlertDirection::Below))
    );
}

/// Defect 28 (l.796): an alert fires once when its condition becomes true, stays quiet
/// while it holds, re-arms when it becomes false, and can fire again.
#[test]
fn defect_28_alert_fires_once_and_rearms() {
    let mut m = Market::new();
    let u = m.account(100, 0);
    let v = m.account(1000, 0);
    set_alert(&mut m, u, AlertDirection::Below, 50).unwrap();

    let events = transfer(&mut m, u, v, 50).unwrap(); // 50: not strictly below
    assert_eq!(alert_events(&events), []);
    let events = transfer(&mut m, u, v, 10).unwrap(); // 40
    assert_eq!(alert_events(&events), [(u, "AlertTriggered", Some(40))]);
    let events = transfer(&mut m, u, v, 10).unwrap(); // 30, still below
    assert_eq!(alert_events(&events), []);
    let events = transfer(&mut m, v, u, 20).unwrap(); // 50: no longer below
    assert_eq!(alert_events(&events), [(u, "AlertRearmed", None)]);
    let events = transfer(&mut m, v, u, 5).unwrap(); // 55
    assert_eq!(alert_events(&events), []);
    let events = transfer(&mut m, u, v, 54).unwrap(); // 1
    assert_eq!(alert_events(&events), [(u, "AlertTriggered", Some(1))]);
}

/// Defect 29 (l.797): an alert belongs to the account that set it. Another account cannot
/// clear it, and another account's balance changes never fire it.
#[test]
fn defect_29_alert_belongs_to_its_account() {
    let mut m = Market::new();
    let u = m.account(100, 0);
    let v = m.account(100, 0);
    let w = m.account(0, 0);
    let events = set_alert(&mut m, u, AlertDirection::Below, 50).unwrap();
    assert_eq!(
        events,
        [Event::AlertSet {
            account: u,
            direction: AlertDirection::Below,
            threshold: Credits(50)
        }]
    );
    assert_eq!(
        m.by(
            v,
            Action::ClearAlert {
                direction: AlertDirection::Below
            }
        ),
        Err(Rejection::AlertNotSet(AlertDirection::Below))
    );
    let events = transfer(&mut m, v, w, 90).unwrap(); // V at 10: V has no alert
    assert_eq!(alert_events(&events), []);
    let events = transfer(&mut m, u, w, 60).unwrap(); // U at 40: U's alert still exists
    assert_eq!(alert_events(&events), [(u, "AlertTriggered", Some(40))]);
}

// ---------------------------------------------------------------------------------------
// Behaviour section 10 does not cover.
// ---------------------------------------------------------------------------------------

/// Immediate-or-cancel trades what crosses, never through its limit, and drops the rest.
#[test]
fn ioc_trades_what_crosses_and_drops_the_rest() {
    let mut m = Market::new();
    let a = m.account(0, 5);
    let b = m.account(1000, 0);
    let cheap = order_id(&m.limit(a, Side::Sell, 30, 2).unwrap());
    let dear = order_id(&m.limit(a, Side::Sell, 32, 3).unwrap());

    let events = m
        .place(b, with_tif(&m, Side::Buy, 31, 4, TimeInForce::Ioc))
        .unwrap();
    assert_eq!(
        kinds(&events),
        ["OrderAccepted", "Trade", "RemainderCancelled"]
    );
    assert_eq!(trade_orders(&events), [(30, 2, cheap)]);
    assert_eq!(
        dropped(&events),
        Some((2, RemainderReason::ImmediateOrCancel))
    );
    assert_eq!(m.credits(b), (940, 0));
    assert_eq!(m.shares(b), (2, 0));
    assert_eq!(resting(&m, dear), (3, 0));
    assert!(is_closed(&m, order_id(&events)));

    // Nothing crosses: accepted and dropped whole, holding nothing.
    let events = m
        .place(b, with_tif(&m, Side::Buy, 31, 4, TimeInForce::Ioc))
        .unwrap();
    assert_eq!(kinds(&events), ["OrderAccepted", "RemainderCancelled"]);
    assert_eq!(
        dropped(&events),
        Some((4, RemainderReason::ImmediateOrCancel))
    );
    assert_eq!(m.credits(b), (940, 0));
    assert_eq!(m.quote(), (None, Some(32)));
}

/// Fill-or-kill: fills in full across levels within its limit, or is rejected with no
/// effect (too little liquidity, or liquidity only beyond its limit).
#[test]
fn fok_fills_in_full_or_not_at_all() {
    let mut m = Market::new();
    let a = m.account(0, 13);
    let b = m.account(1000, 0);
    let first = order_id(&m.limit(a, Side::Sell, 30, 2).unwrap());
    let second = order_id(&m.limit(a, Side::Sell, 31, 3).unwrap());
    m.limit(a, Side::Sell, 33, 5).unwrap();

    assert_eq!(
        m.place(b, with_tif(&m, Side::Buy, 31, 6, TimeInForce::Fok)),
        Err(Rejection::FokNotFillable)
    );
    assert_eq!(
        m.place(b, with_tif(&m, Side::Buy, 30, 3, TimeInForce::Fok)),
        Err(Rejection::FokNotFillable)
    );
    assert_eq!(m.credits(b), (1000, 0));

    let events = m
        .place(b, with_tif(&m, Side::Buy, 31, 5, TimeInForce::Fok))
        .unwrap();
    assert_eq!(kinds(&events), ["OrderAccepted", "Trade", "Trade"]);
    assert_eq!(trade_orders(&events), [(30, 2, first), (31, 3, second)]);
    assert_eq!(m.credits(b), (1000 - 60 - 93, 0));
    assert_eq!(m.shares(b), (5, 0));
    assert_eq!(quote_sizes(&m), (None, Some((33, 5))));

    // A sell FOK, too.
    m.limit(b, Side::Buy, 20, 2).unwrap();
    assert_eq!(
        m.place(a, with_tif(&m, Side::Sell, 20, 3, TimeInForce::Fok)),
        Err(Rejection::FokNotFillable)
    );
    let events = m
        .place(a, with_tif(&m, Side::Sell, 20, 2, TimeInForce::Fok))
        .unwrap();
    assert_eq!(fills(&events), [fill(20, 2, b, a)]);
}

/// Post-only rests when it would not trade and is rejected when it would (equal price
/// included), on both sides.
#[test]
fn post_only_rests_or_is_rejected() {
    let mut m = Market::new();
    let a = m.account(1000, 10);
    let b = m.account(1000, 10);
    m.limit(a, Side::Sell, 30, 2).unwrap();
    m.limit(a, Side::Buy, 25, 2).unwrap();

    for price in [30, 31] {
        let order = with_tif(&m, Side::Buy, price, 1, TimeInForce::PostOnly);
        assert_eq!(m.place(b, order), Err(Rejection::PostOnlyWouldTrade));
    }
    for price in [25, 24] {
        let order = with_tif(&m, Side::Sell, price, 1, TimeInForce::PostOnly);
        assert_eq!(m.place(b, order), Err(Rejection::PostOnlyWouldTrade));
    }
    let events = m
        .place(b, with_tif(&m, Side::Buy, 27, 2, TimeInForce::PostOnly))
        .unwrap();
    assert_eq!(kinds(&events), ["OrderAccepted", "OrderRested"]);
    let events = m
        .place(b, with_tif(&m, Side::Sell, 28, 3, TimeInForce::PostOnly))
        .unwrap();
    assert_eq!(kinds(&events), ["OrderAccepted", "OrderRested"]);
    // Its own resting bid counts too: a post-only sell at 27 would cross it.
    let order = with_tif(&m, Side::Sell, 27, 1, TimeInForce::PostOnly);
    assert_eq!(m.place(b, order), Err(Rejection::PostOnlyWouldTrade));
    assert_eq!(m.quote(), (Some(27), Some(28)));
    assert_eq!(m.credits(b), (1000 - 54, 54));
    assert_eq!(m.shares(b), (7, 3));
}

/// Self-trade prevention, default policy: the resting own order is cancelled (releasing
/// its hold) and matching continues with other accounts' orders behind it.
#[test]
fn self_trade_cancel_resting_keeps_matching() {
    let mut m = Market::new();
    let a = m.account(1000, 10);
    let x = m.account(0, 5);
    let y = m.account(0, 5);
    let ask_x = order_id(&m.limit(x, Side::Sell, 29, 1).unwrap());
    let own = order_id(&m.limit(a, Side::Sell, 30, 2).unwrap());
    let ask_y = order_id(&m.limit(y, Side::Sell, 30, 2).unwrap());
    assert_eq!(m.shares(a), (8, 2));

    let events = m.limit(a, Side::Buy, 30, 5).unwrap();
    assert_eq!(
        kinds(&events),
        [
            "OrderAccepted",
            "Trade",
            "OrderCancelled",
            "Trade",
            "OrderRested"
        ]
    );
    assert_eq!(trade_orders(&events), [(29, 1, ask_x), (30, 2, ask_y)]);
    assert_eq!(cancels(&events), [(own, 2, CancelReason::SelfTrade)]);
    let bid = order_id(&events);
    assert_eq!(resting(&m, bid), (2, 3));
    assert_eq!(m.shares(a), (13, 0));
    assert_eq!(m.credits(a), (1000 - 29 - 60 - 60, 60));
    assert_eq!(m.quote(), (Some(30), None));
}

/// Self-trade prevention, `CancelIncoming`: matching stops at the own order, the incoming
/// remainder is dropped (not rested, even for GTC), and the own resting order stays.
#[test]
fn self_trade_cancel_incoming_stops_matching() {
    let mut m = Market::new();
    let a = m.account(1000, 10);
    let x = m.account(0, 5);
    let y = m.account(0, 5);
    let ask_x = order_id(&m.limit(x, Side::Sell, 29, 1).unwrap());
    let own = order_id(&m.limit(a, Side::Sell, 30, 2).unwrap());
    let ask_y = order_id(&m.limit(y, Side::Sell, 30, 2).unwrap());

    let order = limit_order(&m, Side::Buy, 30, 5).with_self_trade(SelfTrade::CancelIncoming);
    let events = m.place(a, order).unwrap();
    assert_eq!(
        kinds(&events),
        ["OrderAccepted", "Trade", "RemainderCancelled"]
    );
    assert_eq!(trade_orders(&events), [(29, 1, ask_x)]);
    assert_eq!(dropped(&events), Some((4, RemainderReason::SelfTrade)));
    assert_eq!(resting(&m, own), (2, 0));
    assert_eq!(resting(&m, ask_y), (2, 0));
    assert_eq!(m.credits(a), (971, 0));
    assert_eq!(m.shares(a), (9, 2));

    // IOC and market orders stop the same way.
    let ioc =
        with_tif(&m, Side::Buy, 30, 1, TimeInForce::Ioc).with_self_trade(SelfTrade::CancelIncoming);
    let events = m.place(a, ioc).unwrap();
    assert_eq!(dropped(&events), Some((1, RemainderReason::SelfTrade)));
    assert_eq!(resting(&m, own), (2, 0));
}

/// Amending to a smaller size at the same price keeps time priority (and releases the
/// hold difference): the amended order still fills first.
#[test]
fn amend_smaller_quantity_keeps_priority() {
    let mut m = Market::new();
    let a = m.account(1000, 0);
    let b = m.account(1000, 0);
    let seller = m.account(0, 10);
    let first = order_id(&m.limit(a, Side::Buy, 30, 5).unwrap());
    let second = order_id(&m.limit(b, Side::Buy, 30, 5).unwrap());

    let events = m.amend(a, OrderRef::Id(first), 30, 3).unwrap();
    assert_eq!(
        events,
        [Event::OrderAmended {
            order: first,
            account: a,
            ticker: m.ticker,
            side: Side::Buy,
            old_price: Price(30),
            old_quantity: Quantity(5),
            price: Price(30),
            quantity: Quantity(3),
            priority: Priority::Kept,
        }]
    );
    assert_eq!(m.credits(a), (910, 90));
    assert_eq!(quote_sizes(&m), (Some((30, 8)), None));

    let events = m.market(seller, Side::Sell, 3).unwrap();
    assert_eq!(trade_orders(&events), [(30, 3, first)]);
    assert_eq!(resting(&m, second), (5, 0));
}

/// Amending to a larger size, or to a new price, loses time priority: the order goes to
/// the back of its (new) level and the other order fills first.
#[test]
fn amend_larger_quantity_or_new_price_loses_priority() {
    let mut m = Market::new();
    let a = m.account(1000, 0);
    let b = m.account(1000, 0);
    let seller = m.account(0, 20);
    let first = order_id(&m.limit(a, Side::Buy, 30, 5).unwrap());
    let second = order_id(&m.limit(b, Side::Buy, 30, 5).unwrap());

    let events = m.amend(a, OrderRef::Id(first), 30, 6).unwrap();
    assert!(matches!(
        events[..],
        [Event::OrderAmended {
            priority: Priority::Lost,
            ..
        }]
    ));
    assert_eq!(m.credits(a), (820, 180));
    let events = m.market(seller, Side::Sell, 3).unwrap();
    assert_eq!(trade_orders(&events), [(30, 3, second)]);

    // A new price also loses priority: C at 31 first, then A moves from 30 up to 31.
    let c = m.account(1000, 0);
    let third = order_id(&m.limit(c, Side::Buy, 31, 2).unwrap());
    let events = m.amend(a, OrderRef::Id(first), 31, 6).unwrap();
    assert!(matches!(
        events[..],
        [Event::OrderAmended {
            old_price: Price(30),
            price: Price(31),
            priority: Priority::Lost,
            ..
        }]
    ));
    assert_eq!(m.credits(a), (814, 186));
    let events = m.market(seller, Side::Sell, 3).unwrap();
    assert_eq!(trade_orders(&events), [(31, 2, third), (31, 1, first)]);
    assert_eq!(resting(&m, first), (5, 1));
    assert_eq!(m.credits(a), (814, 155));
}

/// Amendments that would cross, change nothing, or need more than is available are
/// rejected; a sell amendment adjusts its share hold.
#[test]
fn amend_rejections_and_sell_holds() {
    let mut m = Market::new();
    let a = m.account(1000, 10);
    let b = m.account(1000, 10);
    let ask = order_id(&m.limit(a, Side::Sell, 35, 4).unwrap());
    m.limit(b, Side::Buy, 30, 1).unwrap();

    assert_eq!(
        m.amend(a, OrderRef::Id(ask), 35, 4),
        Err(Rejection::AmendmentUnchanged)
    );
    assert_eq!(
        m.amend(a, OrderRef::Id(ask), 30, 4),
        Err(Rejection::AmendmentWouldTrade(Price(30)))
    );
    assert_eq!(
        m.amend(a, OrderRef::Id(ask), 35, 11),
        Err(Rejection::InsufficientShares {
            needed: Quantity(7),
            available: Quantity(6)
        })
    );
    m.amend(a, OrderRef::Id(ask), 36, 10).unwrap();
    assert_eq!(m.shares(a), (0, 10));
    m.amend(a, OrderRef::Id(ask), 36, 1).unwrap();
    assert_eq!(m.shares(a), (9, 1));
    assert_eq!(quote_sizes(&m), (Some((30, 1)), Some((36, 1))));
}

/// Client order ids name orders for cancels and amendments, and are never reusable by the
/// same account (even after the order is gone), while another account may use the same id.
#[test]
fn cancel_and_amend_by_client_order_id() {
    let mut m = Market::new();
    let a = m.account(1000, 0);
    let b = m.account(1000, 0);
    let id7 = ClientOrderId(7);
    let events = m
        .place(
            a,
            limit_order(&m, Side::Buy, 20, 5).with_client_order_id(id7),
        )
        .unwrap();
    let order = order_id(&events);
    assert!(matches!(
        events[1],
        Event::OrderRested {
            client_order_id: Some(ClientOrderId(7)),
            ..
        }
    ));
    assert_eq!(m.exchange.state().order_by_client_id(a, id7), Some(order));

    m.amend(a, OrderRef::Client(id7), 20, 2).unwrap();
    assert_eq!(resting(&m, order), (2, 0));
    assert_eq!(
        m.cancel(b, OrderRef::Client(id7)),
        Err(Rejection::UnknownOrder)
    );

    let events = m.cancel(a, OrderRef::Client(id7)).unwrap();
    assert_eq!(cancels(&events), [(order, 2, CancelReason::Requested)]);
    assert_eq!(m.credits(a), (1000, 0));
    assert_eq!(
        m.cancel(a, OrderRef::Client(id7)),
        Err(Rejection::OrderNotOpen(order))
    );
    assert_eq!(
        m.place(
            a,
            limit_order(&m, Side::Buy, 20, 1).with_client_order_id(id7)
        ),
        Err(Rejection::DuplicateClientOrderId(id7))
    );
    m.place(
        b,
        limit_order(&m, Side::Buy, 20, 1).with_client_order_id(id7),
    )
    .unwrap();
}

/// A market buy spends at most the available credits, across levels, and drops what it
/// cannot pay for; held credits are not spent. Here the credits run out before another
/// resting order (T's); `s07_not_enough_balance` covers running out part-way through the
/// last resting order.
#[test]
fn market_buy_is_limited_by_available_credits() {
    let mut m = Market::new();
    let s = m.account(0, 10);
    let t = m.account(0, 10);
    let b = m.account(125, 0);
    m.limit(s, Side::Sell, 10, 1).unwrap();
    m.limit(s, Side::Sell, 12, 5).unwrap();
    m.limit(t, Side::Sell, 12, 2).unwrap();
    m.limit(b, Side::Buy, 5, 20).unwrap(); // holds 100, leaving 25 available

    let events = m.market(b, Side::Buy, 5).unwrap();
    assert_eq!(fills(&events), [fill(10, 1, s, b), fill(12, 1, s, b)]);
    assert_eq!(
        dropped(&events),
        Some((3, RemainderReason::InsufficientCredits))
    );
    assert_eq!(m.credits(b), (3, 100));
    assert_eq!(m.shares(b), (2, 0));
    assert_eq!(quote_sizes(&m), (Some((5, 20)), Some((12, 6))));
}

/// Closing a ticker keeps its book; orders and amendments are refused, cancels and
/// cancel-all still work, and reopening resumes trading against the kept book.
#[test]
fn closed_ticker_keeps_book_and_allows_cancels() {
    let mut m = Market::new();
    let a = m.account(1000, 10);
    let b = m.account(1000, 10);
    let ticker = m.ticker;
    let ask = order_id(&m.limit(a, Side::Sell, 30, 3).unwrap());
    let bid = order_id(&m.limit(a, Side::Buy, 20, 2).unwrap());
    m.limit(a, Side::Buy, 21, 1).unwrap();

    let events = m
        .operator(Action::SetTickerStatus {
            ticker,
            status: TickerStatus::Closed,
        })
        .unwrap();
    assert_eq!(
        events,
        [Event::TickerStatusChanged {
            ticker,
            status: TickerStatus::Closed
        }]
    );
    assert_eq!(m.quote(), (Some(21), Some(30)));
    assert_eq!(
        m.market(b, Side::Buy, 1),
        Err(Rejection::MarketClosed(mnad()))
    );
    assert_eq!(
        m.amend(a, OrderRef::Id(ask), 31, 3),
        Err(Rejection::MarketClosed(mnad()))
    );

    let events = m.cancel(a, OrderRef::Id(bid)).unwrap();
    assert_eq!(cancels(&events), [(bid, 2, CancelReason::Requested)]);
    m.limit(b, Side::Sell, 40, 1).unwrap_err();
    m.operator(Action::SetTickerStatus {
        ticker,
        status: TickerStatus::Open,
    })
    .unwrap();
    let events = m.market(b, Side::Buy, 1).unwrap();
    assert_eq!(trade_orders(&events), [(30, 1, ask)]);
    m.operator(Action::SetTickerStatus {
        ticker,
        status: TickerStatus::Closed,
    })
    .unwrap();
    let events = m.by(a, Action::CancelAllOrders { ticker: None }).unwrap();
    assert_eq!(kinds(&events), ["OrderCancelled", "OrderCancelled"]);
    assert_eq!(m.quote(), (None, None));
    assert_eq!(m.credits(a), (1030, 0));
    assert_eq!(m.shares(a), (9, 0));
}

/// Alerts on total credits: an "above" alert fires, re-arms and fires again; moving
/// credits between available and held (placing a bid) does not count as a change.
#[test]
fn alert_fires_rearms_and_fires_again() {
    let mut m = Market::new();
    let u = m.account(100, 0);
    let v = m.account(1000, 0);
    set_alert(&mut m, u, AlertDirection::Above, 150).unwrap();
    set_alert(&mut m, u, AlertDirection::Below, 20).unwrap();

    let events = m.limit(u, Side::Buy, 45, 2).unwrap(); // 10 available + 90 held
    assert_eq!(alert_events(&events), []);
    let events = transfer(&mut m, v, u, 51).unwrap(); // 151
    assert_eq!(
        events[1],
        Event::AlertTriggered {
            account: u,
            direction: AlertDirection::Above,
            threshold: Credits(150),
            balance: Credits(151)
        }
    );
    let events = transfer(&mut m, u, v, 1).unwrap(); // 150: re-arms
    assert_eq!(
        events[1],
        Event::AlertRearmed {
            account: u,
            direction: AlertDirection::Above
        }
    );
    let events = transfer(&mut m, v, u, 100).unwrap(); // 250: fires again
    assert_eq!(alert_events(&events), [(u, "AlertTriggered", Some(250))]);
    let events = transfer(&mut m, u, v, 159).unwrap(); // 91 (1 available + 90 held): re-arms
    assert_eq!(alert_events(&events), [(u, "AlertRearmed", None)]);
    assert_eq!(m.credits(u), (1, 90));

    // The held 90 are spent when the bid fills: 1 + 0 held = 1 < 20.
    let seller = m.account(0, 2);
    let events = m.market(seller, Side::Sell, 2).unwrap();
    assert_eq!(alert_events(&events), [(u, "AlertTriggered", Some(1))]);
}

/// Liquidate-all closes every active account the orchestrator orchestrates, with their
/// orders, in one command; other orchestrators' accounts and closed accounts are skipped.
#[test]
fn liquidate_all_is_atomic_over_several_accounts() {
    let mut m = Market::new();
    let o = m.account_of_kind(AccountKind::Orchestrator, 1000, 0);
    let p = m.account_of_kind(AccountKind::Orchestrator, 1000, 0);
    let u1 = orchestrated(&mut m, o, 200);
    let u2 = orchestrated(&mut m, o, 300);
    let u3 = orchestrated(&mut m, o, 100);
    let theirs = orchestrated(&mut m, p, 100);
    m.fund(u1, 0, 4);
    m.fund(u2, 0, 6);
    m.fund(theirs, 0, 1);
    liquidate(&mut m, o, u3).unwrap();
    let b1 = order_id(&m.limit(u1, Side::Buy, 10, 5).unwrap());
    let a1 = order_id(&m.limit(u1, Side::Sell, 50, 4).unwrap());
    m.market(u2, Side::Buy, 1).unwrap(); // u2 buys 1@50 from u1
    let a2 = order_id(&m.limit(u2, Side::Sell, 45, 3).unwrap());
    let kept = order_id(&m.limit(theirs, Side::Sell, 60, 1).unwrap());
    set_alert(&mut m, u2, AlertDirection::Below, 10).unwrap();
    let total = m.exchange.state().credits_total().0;
    assert_eq!((m.credits(u1), m.shares(u1)), ((200, 50), (0, 3)));
    assert_eq!((m.credits(u2), m.shares(u2)), ((250, 0), (4, 3)));

    let events = m.by(o, Action::LiquidateAll).unwrap();
    assert_eq!(
        kinds(&events),
        [
            "OrderCancelled",
            "OrderCancelled",
            "CreditsTransferred",
            "SharesTransferred",
            "AccountClosed",
            "AlertCleared",
            "OrderCancelled",
            "CreditsTransferred",
            "SharesTransferred",
            "AccountClosed",
        ]
    );
    assert_eq!(
        cancels(&events),
        [
            (b1, 5, CancelReason::Liquidation),
            (a1, 3, CancelReason::Liquidation),
            (a2, 3, CancelReason::Liquidation)
        ]
    );
    assert_eq!(m.credits(o), (400 + 250 + 250 + 100, 0));
    assert_eq!(m.shares(o), (3 + 7, 0));
    for u in [u1, u2, u3] {
        let view = m.exchange.state().account(u).unwrap();
        assert_eq!(view.status, AccountStatus::Closed);
        assert_eq!(
            (
                view.credits_available.0,
                view.credits_held.0,
                view.orders_open
            ),
            (0, 0, 0)
        );
        assert_eq!(view.positions, []);
    }
    assert_eq!(m.credits(theirs), (100, 0));
    assert_eq!(resting(&m, kept), (1, 0));
    assert_eq!(quote_sizes(&m), (None, Some((60, 1))));
    assert_eq!(m.exchange.state().credits_total().0, total);
    assert_eq!(m.by(o, Action::LiquidateAll), Ok(vec![]));

    // A closed account can do nothing, and nothing can be sent to it.
    assert_eq!(
        m.limit(u1, Side::Buy, 1, 1),
        Err(Rejection::AccountClosed(u1))
    );
    assert_eq!(
        transfer(&mut m, o, u1, 1),
        Err(Rejection::AccountClosed(u1))
    );
    assert_eq!(
        transfer(&mut m, u1, o, 1),
        Err(Rejection::AccountClosed(u1))
    );
}

/// An orchestrated account is funded from the orchestrator's available credits (held
/// credits do not count), may be created with zero credits, and can trade at once.
#[test]
fn orchestrated_account_funding() {
    let mut m = Market::new();
    let o = m.account_of_kind(AccountKind::Orchestrator, 500, 0);
    let seller = m.account(0, 5);
    m.limit(o, Side::Buy, 10, 30).unwrap(); // holds 300
    assert_eq!(
        m.by(
            o,
            Action::CreateOrchestratedAccount {
                initial_credits: Credits(201)
            }
        ),
        Err(Rejection::InsufficientCredits {
            needed: Credits(201),
            available: Credits(200)
        })
    );
    let events = m
        .by(
            o,
            Action::CreateOrchestratedAccount {
                initial_credits: Credits(0),
            },
        )
        .unwrap();
    assert_eq!(kinds(&events), ["AccountCreated"]);

    let u = orchestrated(&mut m, o, 200);
    assert_eq!(m.credits(o), (0, 300));
    assert_eq!(m.credits(u), (200, 0));
    m.limit(seller, Side::Sell, 11, 5).unwrap();
    let events = m.market(u, Side::Buy, 5).unwrap();
    assert_eq!(fills(&events), [fill(11, 5, seller, u)]);
    assert_eq!(m.credits(u), (145, 0));
}

/// A market order stopped at once by its own resting order under `SelfTrade::CancelIncoming`
/// is accepted and drops its quantity with reason `SelfTrade`, as an IOC limit does; it is
/// not reported as a lack of liquidity. The own order and the other side's order stay.
#[test]
fn market_order_stopped_by_own_order_drops_with_self_trade_reason() {
    let mut m = Market::new();
    let a = m.account(1_000, 10);
    let b = m.account(0, 10);
    let own = order_id(&m.limit(a, Side::Sell, 10, 2).unwrap());
    m.limit(b, Side::Sell, 11, 2).unwrap();
    let order = NewOrder::market(m.ticker, Side::Buy, Quantity(3))
        .with_self_trade(SelfTrade::CancelIncoming);
    let events = m.place(a, order).unwrap();
    assert!(fills(&events).is_empty());
    assert!(matches!(
        events.last(),
        Some(Event::RemainderCancelled {
            quantity: Quantity(3),
            reason: RemainderReason::SelfTrade,
            ..
        })
    ));
    assert!(matches!(
        m.exchange.state().order(own),
        OrderStatus::Open(_)
    ));
    assert_eq!(m.credits(a), (1_000, 0));
    assert_eq!(m.quote(), (None, Some(10)));
}

#[test]
fn holdings_of_an_unknown_account_or_ticker_are_none() {
    let mut m = Market::new();
    let ann = m.account(500, 7);
    let state = m.exchange.state();
    let held = state.holdings(ann, m.ticker).expect("a listed ticker");
    assert_eq!(
        (held.credits_available.0, held.shares.available.0),
        (500, 7)
    );
    for ticker in [TickerId(0), TickerId(m.ticker.0 + 1), TickerId(u32::MAX)] {
        assert!(state.holdings(ann, ticker).is_none(), "{ticker:?}");
    }
    assert!(state.holdings(AccountId(999), m.ticker).is_none());
}

/// The symbol of the ticker [`Market::new`] lists.
fn mnad() -> Symbol {
    Symbol::new("MNAD").unwrap()
}

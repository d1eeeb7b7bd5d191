//! History against the core: a differential run over generated markets, and scenarios for
//! each rule of the API's `Order`, `Trade`, `Candle`, `Fill` and `Transfer` (docs/api.md).

use super::*;
use exchange_core::log::{EventLog, MemoryLog};
use exchange_core::testing::{MarketGenerator, VirtualClock};
use exchange_core::{
    AccountKind, Action, Command, Credits, Exchange, Journal, JournalConfig, NewOrder, OrderRef,
    OrderStatus, Price, Quantity, SelfTrade, Side, State, TimeInForce,
};
use limits::{DAY_MS, MINUTE_MS};
use serde_json::json;

// ---------------------------------------------------------------------------------------
// Differential: History against the core's State on generated markets.

/// Applies every record of the journal's log that history has not seen yet.
fn catch_up(history: &mut History, journal: &Journal<MemoryLog>) {
    for record in journal.log().read_from(history.last_seq() + 1) {
        history.apply(&record.expect("memory logs do not fail"));
    }
    assert_eq!(history.last_seq(), journal.last_seq());
}

/// The fields of an open order that the core knows too.
type Resting = (
    OrderId,
    TickerId,
    Side,
    Option<Price>,
    Quantity,
    Quantity,
    Option<ClientOrderId>,
);

fn core_open(state: &State, account: AccountId, ticker: Option<TickerId>) -> Vec<Resting> {
    let open = state.open_orders(account, ticker).into_iter();
    open.map(|o| {
        (
            o.id,
            o.ticker,
            o.side,
            Some(o.price),
            o.remaining,
            o.filled,
            o.client_order_id,
        )
    })
    .collect()
}

fn history_open(history: &History, account: AccountId, ticker: Option<TickerId>) -> Vec<Resting> {
    let open = history.open_orders(account, ticker).into_iter();
    open.map(|o| {
        assert_eq!(o.status, OrderState::Open);
        assert_eq!(o.account, account);
        assert_eq!(o.quantity.0, o.filled.0 + o.remaining.0);
        (
            o.id,
            o.ticker,
            o.side,
            o.price,
            o.remaining,
            o.filled,
            o.client_order_id,
        )
    })
    .collect()
}

/// Open orders agree with the core for every account, and recent orders are finished.
fn check_orders(history: &History, state: &State) {
    for account in state.accounts() {
        let id = account.id;
        assert_eq!(
            history_open(history, id, None),
            core_open(state, id, None),
            "account {id}"
        );
        for ticker in state.tickers() {
            let only = Some(ticker.id);
            assert_eq!(history_open(history, id, only), core_open(state, id, only));
        }
        let recent = history.recent_orders(id, None, usize::MAX);
        assert!(recent.len() <= FINISHED_ORDERS_KEPT_PER_ACCOUNT);
        assert!(recent
            .windows(2)
            .all(|w| w[0].updated_seq >= w[1].updated_seq));
        for order in recent {
            assert_eq!(order.account, id);
            assert_eq!(order.quantity.0, order.filled.0 + order.remaining.0);
            match order.status {
                OrderState::Filled => assert_eq!(order.remaining, Quantity::ZERO),
                OrderState::Cancelled => assert!(order.remaining.0 > 0),
                OrderState::Open => panic!("order {} is recent but open", order.id),
            }
        }
    }
}

/// Every order the core has closed is finished in history, or forgotten.
fn check_every_order(history: &History, state: &State) {
    for id in (1..state.next_order_id().0).map(OrderId) {
        let kept = history.order(id);
        match state.order(id) {
            OrderStatus::Open(view) => {
                let kept = kept.expect("open orders are kept");
                assert_eq!(
                    (kept.status, kept.remaining),
                    (OrderState::Open, view.remaining)
                );
            }
            OrderStatus::Closed => {
                assert!(
                    kept.is_none_or(|o| o.status != OrderState::Open),
                    "order {id}"
                )
            }
            OrderStatus::Unknown => panic!("order {id} below the next id is known"),
        }
    }
}

/// Shares in the fills of records after `after`, over every account.
fn new_fill_quantity(history: &History, state: &State, after: u64) -> u64 {
    let mut total = 0;
    for account in state.accounts() {
        let fills = history.fills(account.id, FILLS_KEPT_PER_ACCOUNT);
        let new: Vec<_> = fills.iter().take_while(|f| f.seq > after).collect();
        assert!(
            new.len() < FILLS_KEPT_PER_ACCOUNT,
            "a batch's fills are all kept"
        );
        total += new.iter().map(|f| f.quantity.0).sum::<u64>();
    }
    total
}

/// Prints, candles and day statistics agree with the core's ticker statistics. Only valid
/// while every trade is in the kept candles and within the last day of `now_ms`.
fn check_tickers(history: &History, state: &State, now_ms: u64) {
    for ticker in state.tickers() {
        assert_eq!(history.symbol(ticker.id), Some(ticker.symbol));
        let last = history.trades(ticker.id, 1).first().map(|t| t.price);
        assert_eq!(last, ticker.last_price);
        for interval in Interval::ALL {
            let candles = history.candles(ticker.id, interval, 0, u64::MAX, usize::MAX);
            let volume: u64 = candles.iter().map(|c| c.volume.0).sum();
            let trades: u64 = candles.iter().map(|c| c.trades).sum();
            assert_eq!(
                (volume, trades),
                (ticker.volume.0, ticker.trades),
                "{interval}"
            );
            assert_eq!(candles.last().map(|c| c.close), ticker.last_price);
            let len = interval.length_ms();
            assert!(candles.iter().all(|c| c.time_ms / len * len == c.time_ms));
            assert!(candles.iter().all(|c| c.trades > 0));
            assert!(candles.windows(2).all(|w| w[0].time_ms < w[1].time_ms));
        }
        let day = history.day_stats(ticker.id, now_ms);
        assert_eq!((day.volume, day.trades), (ticker.volume.0, ticker.trades));
        assert_eq!(day.last_price, ticker.last_price.map(|p| p.0));
    }
}

/// Every account's credits, rebuilt from its transfers and fills, equal the core's. Only
/// valid while nothing was dropped; returns whether that held for every account.
fn check_ledger(history: &History, state: &State) -> bool {
    let mut complete = true;
    for account in state.accounts() {
        let transfers = history.transfers(account.id, usize::MAX);
        let fills = history.fills(account.id, usize::MAX);
        if transfers.len() == TRANSFERS_KEPT_PER_ACCOUNT || fills.len() == FILLS_KEPT_PER_ACCOUNT {
            complete = false;
            continue;
        }
        let mut credits: i128 = 0;
        for transfer in transfers {
            let amount = i128::from(transfer.amount.0);
            credits += match transfer.direction {
                WireTransferDirection::In => amount,
                WireTransferDirection::Out => -amount,
            };
        }
        for fill in fills {
            let cost = i128::from(fill.price.0) * i128::from(fill.quantity.0);
            credits += match fill.side {
                Side::Buy => -cost,
                Side::Sell => cost,
            };
        }
        let core = i128::from(account.credits_available.0 + account.credits_held.0);
        assert_eq!(credits, core, "account {}", account.id);
    }
    complete
}

/// What a differential run covered.
struct Run {
    state: State,
    complete_ledger: bool,
}

fn differential(seed: u64, batches: u64) -> (History, Run) {
    let config = JournalConfig {
        snapshot_every: 0,
        checkpoint_every: 50,
        snapshots_kept: 1,
    };
    let (mut journal, _) = Journal::open(MemoryLog::new(), config).unwrap();
    // 1.5 s between commands, so trades spread over many minutes.
    let mut clock = VirtualClock::new(1_700_000_000_000_000_000, 1_500_000_000);
    let mut history = History::new();
    journal
        .submit(&MarketGenerator::setup_batch(&mut clock))
        .unwrap();
    catch_up(&mut history, &journal);
    let mut generator = MarketGenerator::new(seed);
    let mut filled_twice = 0;
    for batch_number in 0..batches {
        let before = history.last_seq();
        let batch = generator.batch(journal.state(), 10, &mut clock);
        journal.submit(&batch).unwrap();
        catch_up(&mut history, &journal);
        let state = journal.state();
        filled_twice += new_fill_quantity(&history, state, before);
        check_orders(&history, state);
        if batch_number % 10 == 0 {
            check_every_order(&history, state);
        }
    }
    let state = journal.state().clone();
    let volume: u64 = state.tickers().iter().map(|t| t.volume.0).sum();
    assert_eq!(filled_twice, 2 * volume, "every trade gives two fills");
    let records = journal.log().records();
    let now_ms = records.last().unwrap().timestamp_ns / 1_000_000;
    if now_ms - records[0].timestamp_ns / 1_000_000 < DAY_MS {
        check_tickers(&history, &state, now_ms);
    }
    check_every_order(&history, &state);
    let complete_ledger = check_ledger(&history, &state);
    (
        history,
        Run {
            state,
            complete_ledger,
        },
    )
}

#[test]
fn history_agrees_with_the_core_on_generated_markets() {
    for seed in 1..=3 {
        let (_, run) = differential(seed, 200);
        assert!(
            run.complete_ledger,
            "seed {seed}: the run is short enough to keep everything"
        );
        let traded: u64 = run.state.tickers().iter().map(|t| t.trades).sum();
        assert!(traded > 100, "seed {seed}: the market trades ({traded})");
    }
}

#[test]
fn history_agrees_with_the_core_after_dropping_old_orders() {
    let (history, run) = differential(11, 2_000);
    let most_recent = run
        .state
        .accounts()
        .iter()
        .map(|a| history.recent_orders(a.id, None, usize::MAX).len())
        .max()
        .unwrap();
    assert_eq!(
        most_recent, FINISHED_ORDERS_KEPT_PER_ACCOUNT,
        "the run fills the limit"
    );
}

// ---------------------------------------------------------------------------------------
// Scenarios on a small hand-driven market.

const MNAD: TickerId = TickerId(1);
const ANN: AccountId = AccountId(1);
const BOB: AccountId = AccountId(2);
/// An orchestrator, so funding and liquidation can be shown.
const CAT: AccountId = AccountId(3);

/// An exchange whose accepted commands become records for a history.
struct Market {
    exchange: Exchange,
    history: History,
    seq: u64,
}

impl Market {
    /// MNAD listed; Ann, Bob (standard) and Cat (orchestrator) with 1,000,000 credits and
    /// 100,000 shares each, all at time 0.
    fn new() -> Self {
        let mut market = Self {
            exchange: Exchange::new(),
            history: History::new(),
            seq: 0,
        };
        let symbol = Symbol::new("MNAD").unwrap();
        market.operator(0, Action::CreateTicker { symbol });
        for kind in [
            AccountKind::Standard,
            AccountKind::Standard,
            AccountKind::Orchestrator,
        ] {
            market.operator(0, Action::CreateAccount { kind });
        }
        for account in [ANN, BOB, CAT] {
            let amount = Credits(1_000_000);
            market.operator(0, Action::DepositCredits { account, amount });
            let quantity = Quantity(100_000);
            let issue = Action::IssueShares {
                account,
                ticker: MNAD,
                quantity,
            };
            market.operator(0, issue);
        }
        market
    }

    /// Runs an accepted command at `time_ms` and applies its record; returns its seq.
    fn run(&mut self, time_ms: u64, command: Command) -> u64 {
        let events = match self.exchange.execute(&command) {
            Ok(events) => events.to_vec(),
            Err(rejection) => panic!("{command:?} was rejected: {rejection:?}"),
        };
        self.seq += 1;
        let entry = Entry::Command {
            command,
            events: events.into(),
        };
        let timestamp_ns = time_ms * 1_000_000;
        self.history.apply(&Record {
            seq: self.seq,
            timestamp_ns,
            entry,
        });
        self.seq
    }

    fn operator(&mut self, time_ms: u64, action: Action) -> u64 {
        self.run(time_ms, Command::operator(action))
    }

    fn act(&mut self, time_ms: u64, account: AccountId, action: Action) -> u64 {
        self.run(time_ms, Command::by(account, action))
    }

    /// Places an order; returns the record's seq and the order's id.
    fn place(&mut self, time_ms: u64, account: AccountId, order: NewOrder) -> (u64, OrderId) {
        let id = self.exchange.state().next_order_id();
        (self.act(time_ms, account, Action::PlaceOrder(order)), id)
    }

    fn order(&self, id: OrderId) -> OrderRecord {
        self.history.order(id).expect("the order is kept")
    }
}

fn limit(side: Side, price: u64, quantity: u64) -> NewOrder {
    NewOrder::limit(MNAD, side, Price(price), Quantity(quantity))
}

fn market(side: Side, quantity: u64) -> NewOrder {
    NewOrder::market(MNAD, side, Quantity(quantity))
}

fn state_of(order: &OrderRecord) -> (OrderState, u64, u64, u64) {
    (
        order.status,
        order.quantity.0,
        order.filled.0,
        order.remaining.0,
    )
}

#[test]
fn a_resting_buy_partially_filled_then_cancelled_is_cancelled_with_its_fills() {
    let mut m = Market::new();
    let (placed, buy) = m.place(1_000, ANN, limit(Side::Buy, 50, 10));
    let open = m.order(buy);
    assert_eq!(state_of(&open), (OrderState::Open, 10, 0, 10));
    assert_eq!((open.created_seq, open.updated_seq), (placed, placed));
    assert_eq!(m.history.open_orders(ANN, None), vec![open]);

    let (traded, sell) = m.place(2_000, BOB, limit(Side::Sell, 50, 4));
    assert_eq!(state_of(&m.order(buy)), (OrderState::Open, 10, 4, 6));
    assert_eq!(m.order(buy).updated_seq, traded);
    assert_eq!(state_of(&m.order(sell)), (OrderState::Filled, 4, 4, 0));

    let cancelled = m.act(
        3_000,
        ANN,
        Action::CancelOrder {
            order: OrderRef::Id(buy),
        },
    );
    let done = m.order(buy);
    assert_eq!(state_of(&done), (OrderState::Cancelled, 10, 4, 6));
    assert_eq!((done.created_seq, done.updated_seq), (placed, cancelled));
    assert_eq!(m.history.open_orders(ANN, None), vec![]);
    assert_eq!(m.history.recent_orders(ANN, None, 10), vec![done]);
    assert_eq!(m.history.recent_orders(ANN, Some(TickerId(2)), 10), vec![]);

    let symbol = Symbol::new("MNAD").unwrap();
    let fill = |order_id, side, role| Fill {
        seq: traded,
        time_ms: 2_000,
        order_id,
        symbol,
        side,
        price: Price(50),
        quantity: Quantity(4),
        role,
    };
    assert_eq!(
        m.history.fills(ANN, 10),
        vec![fill(buy, Side::Buy, WireRole::Maker)]
    );
    assert_eq!(
        m.history.fills(BOB, 10),
        vec![fill(sell, Side::Sell, WireRole::Taker)]
    );
    assert_eq!(
        serde_json::to_value(m.history.fills(BOB, 1)[0]).unwrap(),
        json!({"seq": traded, "time_ms": 2000, "order_id": sell.0, "symbol": "MNAD",
               "side": "sell", "price": 50, "quantity": 4, "role": "taker"})
    );
}

#[test]
fn a_fully_filled_market_order_is_filled() {
    let mut m = Market::new();
    let (_, sell) = m.place(1_000, ANN, limit(Side::Sell, 60, 3));
    m.place(1_500, ANN, limit(Side::Sell, 61, 2));
    let (seq, buy) = m.place(2_000, BOB, market(Side::Buy, 5));
    let order = m.order(buy);
    assert_eq!(state_of(&order), (OrderState::Filled, 5, 5, 0));
    assert_eq!(state_of(&m.order(sell)), (OrderState::Filled, 3, 3, 0));
    assert_eq!(m.history.recent_orders(BOB, None, 10), vec![order]);
    assert_eq!(m.history.open_orders(BOB, None), vec![]);
    assert_eq!(
        serde_json::to_value(order).unwrap(),
        json!({"id": buy.0, "symbol": "MNAD", "side": "buy", "type": "market", "price": null,
               "quantity": 5, "remaining": 0, "filled": 5, "status": "filled",
               "client_order_id": null, "time_in_force": null,
               "created_seq": seq, "updated_seq": seq})
    );
}

#[test]
fn a_partially_filled_market_or_ioc_order_is_cancelled_with_its_fills() {
    let mut m = Market::new();
    m.place(1_000, ANN, limit(Side::Sell, 60, 3));
    let (_, buy) = m.place(2_000, BOB, market(Side::Buy, 5));
    assert_eq!(state_of(&m.order(buy)), (OrderState::Cancelled, 5, 3, 2));

    m.place(3_000, ANN, limit(Side::Sell, 60, 2));
    let ioc = limit(Side::Buy, 60, 5).with_time_in_force(TimeInForce::Ioc);
    let (_, buy) = m.place(4_000, BOB, ioc);
    let order = m.order(buy);
    assert_eq!(state_of(&order), (OrderState::Cancelled, 5, 2, 3));
    assert_eq!(order.time_in_force, Some(TimeInForce::Ioc));
    assert_eq!(
        serde_json::to_value(order).unwrap()["time_in_force"],
        json!("ioc")
    );

    m.place(5_000, ANN, limit(Side::Sell, 60, 2));
    let ioc = limit(Side::Buy, 60, 2).with_time_in_force(TimeInForce::Ioc);
    let (_, buy) = m.place(6_000, BOB, ioc);
    assert_eq!(state_of(&m.order(buy)), (OrderState::Filled, 2, 2, 0));
    let recent: Vec<_> = m
        .history
        .recent_orders(BOB, None, 10)
        .iter()
        .map(|o| o.id)
        .collect();
    assert_eq!(recent, vec![OrderId(6), OrderId(4), OrderId(2)]);
    assert_eq!(m.history.recent_orders(BOB, Some(MNAD), 2).len(), 2);
}

#[test]
fn self_trade_prevention_cancels_the_resting_order() {
    let mut m = Market::new();
    let (_, buy) = m.place(1_000, ANN, limit(Side::Buy, 50, 5));
    let sell = limit(Side::Sell, 50, 5).with_self_trade(SelfTrade::CancelResting);
    let (_, sell) = m.place(2_000, ANN, sell);
    assert_eq!(state_of(&m.order(buy)), (OrderState::Cancelled, 5, 0, 5));
    assert_eq!(state_of(&m.order(sell)), (OrderState::Open, 5, 0, 5));
    assert_eq!(m.history.fills(ANN, 10), vec![]);
}

#[test]
fn an_amendment_keeps_the_id_and_updates_price_quantity_and_updated_seq() {
    let mut m = Market::new();
    let order = limit(Side::Buy, 50, 10).with_client_order_id(ClientOrderId(7));
    let (placed, id) = m.place(1_000, ANN, order);
    let amend = |price, quantity| Action::AmendOrder {
        order: OrderRef::Id(id),
        price: Price(price),
        quantity: Quantity(quantity),
    };
    let amended = m.act(2_000, ANN, amend(48, 6));
    let order = m.order(id);
    assert_eq!(order.price, Some(Price(48)));
    assert_eq!(state_of(&order), (OrderState::Open, 6, 0, 6));
    assert_eq!((order.created_seq, order.updated_seq), (placed, amended));

    m.place(3_000, BOB, limit(Side::Sell, 48, 2));
    let reduced = m.act(4_000, ANN, amend(48, 3));
    let order = m.order(id);
    // The quantity is the amended remaining plus what traded before.
    assert_eq!(state_of(&order), (OrderState::Open, 5, 2, 3));
    assert_eq!(order.updated_seq, reduced);
    assert_eq!(
        m.history.order_by_client_id(ANN, ClientOrderId(7)),
        Some(order)
    );
    assert_eq!(m.history.order_by_client_id(BOB, ClientOrderId(7)), None);
    assert_eq!(
        serde_json::to_value(order).unwrap(),
        json!({"id": id.0, "symbol": "MNAD", "side": "buy", "type": "limit", "price": 48,
               "quantity": 5, "remaining": 3, "filled": 2, "status": "open",
               "client_order_id": 7, "time_in_force": "gtc",
               "created_seq": placed, "updated_seq": reduced})
    );
}

/// Ann offers 5 at 50 and 5 at 51; Cat buys 2 at 1 s, 4 at 30 s (two trades), 1 at 125 s.
fn candle_market() -> (Market, [u64; 3]) {
    let mut m = Market::new();
    m.place(0, ANN, limit(Side::Sell, 50, 5));
    m.place(0, ANN, limit(Side::Sell, 51, 5));
    let first = m.place(1_000, CAT, market(Side::Buy, 2)).0;
    let second = m.place(30_000, CAT, market(Side::Buy, 4)).0;
    let third = m.place(125_000, CAT, market(Side::Buy, 1)).0;
    (m, [first, second, third])
}

fn candle(time_ms: u64, ohlc: [u64; 4], volume: u64, trades: u64) -> Candle {
    let [open, high, low, close] = ohlc.map(Price);
    let volume = Quantity(volume);
    Candle {
        time_ms,
        open,
        high,
        low,
        close,
        volume,
        trades,
    }
}

#[test]
fn trades_in_minutes_0_0_and_2_make_two_minute_candles_and_one_five_minute_candle() {
    let (m, [_, _, third]) = candle_market();
    let h = &m.history;
    let minute_0 = candle(0, [50, 51, 50, 51], 6, 3);
    let minute_2 = candle(2 * MINUTE_MS, [51, 51, 51, 51], 1, 1);
    assert_eq!(
        h.candles(MNAD, Interval::M1, 0, u64::MAX, 100),
        vec![minute_0, minute_2]
    );
    assert_eq!(
        h.candles(MNAD, Interval::M5, 0, u64::MAX, 100),
        vec![candle(0, [50, 51, 50, 51], 7, 4)]
    );
    // from/to select bucket starts; the limit keeps the newest.
    assert_eq!(
        h.candles(MNAD, Interval::M1, 1, u64::MAX, 100),
        vec![minute_2]
    );
    assert_eq!(
        h.candles(MNAD, Interval::M1, 0, 2 * MINUTE_MS - 1, 100),
        vec![minute_0]
    );
    assert_eq!(
        h.candles(MNAD, Interval::M1, 0, u64::MAX, 1),
        vec![minute_2]
    );
    assert_eq!(
        h.candles(MNAD, Interval::H1, MINUTE_MS, u64::MAX, 100),
        vec![]
    );
    assert_eq!(
        h.candles(TickerId(9), Interval::M1, 0, u64::MAX, 100),
        vec![]
    );
    assert_eq!(
        serde_json::to_value(minute_2).unwrap(),
        json!({"time_ms": 120000, "open": 51, "high": 51, "low": 51, "close": 51,
               "volume": 1, "trades": 1})
    );

    let prices: Vec<_> = h
        .trades(MNAD, 10)
        .iter()
        .map(|t| (t.price.0, t.quantity.0))
        .collect();
    assert_eq!(prices, vec![(51, 1), (51, 1), (50, 3), (50, 2)]);
    assert_eq!(h.trades(MNAD, 1).len(), 1);
    assert_eq!(
        serde_json::to_value(h.trades(MNAD, 1)[0]).unwrap(),
        json!({"seq": third, "time_ms": 125000, "symbol": "MNAD", "price": 51,
               "quantity": 1, "taker_side": "buy"})
    );
    assert_eq!(h.symbol(MNAD), Symbol::new("MNAD").ok());
    assert_eq!(h.symbol(TickerId(2)), None);
}

#[test]
fn day_stats_cover_the_24_hours_up_to_now() {
    let (m, _) = candle_market();
    let h = &m.history;
    let stats = |volume, trades, first: Option<u64>, last: Option<u64>| DayStats {
        volume,
        trades,
        first_price: first,
        last_price: last,
    };
    assert_eq!(h.day_stats(MNAD, 125_000), stats(7, 4, Some(50), Some(51)));
    assert_eq!(h.day_stats(MNAD, 59_999), stats(6, 3, Some(50), Some(51)));
    // Minute 0 starts exactly 24 hours before this: outside (now - 24h, now].
    assert_eq!(h.day_stats(MNAD, DAY_MS), stats(1, 1, Some(51), Some(51)));
    assert_eq!(h.day_stats(MNAD, 3 * DAY_MS), DayStats::default());
    assert_eq!(h.day_stats(TickerId(9), 0), DayStats::default());
}

#[test]
fn transfers_give_out_and_in_entries_and_deposits_have_no_counterparty() {
    let mut m = Market::new();
    let paid = m.act(
        5_000,
        BOB,
        Action::TransferCredits {
            to: ANN,
            amount: Credits(25),
        },
    );
    let entry = |seq, time_ms, direction, counterparty, amount, reason| TransferEntry {
        seq,
        time_ms,
        direction,
        counterparty,
        amount: Credits(amount),
        reason,
    };
    let deposit = |seq| {
        entry(
            seq,
            0,
            WireTransferDirection::In,
            None,
            1_000_000,
            WireTransferReason::Deposit,
        )
    };
    assert_eq!(
        m.history.transfers(ANN, 10),
        vec![
            entry(
                paid,
                5_000,
                WireTransferDirection::In,
                Some(BOB),
                25,
                WireTransferReason::Payment
            ),
            deposit(5)
        ]
    );
    assert_eq!(
        m.history.transfers(BOB, 10),
        vec![
            entry(
                paid,
                5_000,
                WireTransferDirection::Out,
                Some(ANN),
                25,
                WireTransferReason::Payment
            ),
            deposit(7)
        ]
    );
    assert_eq!(m.history.transfers(BOB, 1).len(), 1);
    assert_eq!(
        serde_json::to_value(m.history.transfers(ANN, 2)).unwrap(),
        json!([{"seq": paid, "time_ms": 5000, "direction": "in", "counterparty": 2,
                "amount": 25, "reason": "payment"},
               {"seq": 5, "time_ms": 0, "direction": "in", "counterparty": null,
                "amount": 1000000, "reason": "deposit"}])
    );

    let initial_credits = Credits(150);
    let funded = m.act(
        6_000,
        CAT,
        Action::CreateOrchestratedAccount { initial_credits },
    );
    let dan = AccountId(4);
    let liquidated = m.act(7_000, CAT, Action::LiquidateAccount { account: dan });
    assert_eq!(
        m.history.transfers(dan, 10),
        vec![
            entry(
                liquidated,
                7_000,
                WireTransferDirection::Out,
                Some(CAT),
                150,
                WireTransferReason::Liquidation
            ),
            entry(
                funded,
                6_000,
                WireTransferDirection::In,
                Some(CAT),
                150,
                WireTransferReason::Funding
            ),
        ]
    );
    assert_eq!(
        m.history.transfers(CAT, 1)[0].reason,
        WireTransferReason::Liquidation
    );
    assert_eq!(m.history.transfers(AccountId(9), 10), vec![]);
}

#[test]
fn beyond_the_limits_the_oldest_trades_fills_orders_and_transfers_are_dropped() {
    let mut m = Market::new();
    let (_, offer) = m.place(0, ANN, limit(Side::Sell, 50, 5_000));
    let count: u64 = 1_001;
    let kept = |limit: usize| u64::try_from(limit).unwrap();
    assert!(count > kept(TRADES_KEPT_PER_TICKER));
    assert!(count > kept(FINISHED_ORDERS_KEPT_PER_ACCOUNT));
    let mut buys = Vec::new();
    for n in 1..=count {
        let order = market(Side::Buy, 1).with_client_order_id(ClientOrderId(n));
        buys.push(m.place(n, BOB, order).1);
    }
    let h = &m.history;
    let trades = h.trades(MNAD, usize::MAX);
    assert_eq!(trades.len(), TRADES_KEPT_PER_TICKER);
    assert_eq!(trades[0].time_ms, count);
    assert_eq!(
        trades.last().unwrap().time_ms,
        count - kept(TRADES_KEPT_PER_TICKER) + 1
    );

    let fills = h.fills(BOB, usize::MAX);
    assert_eq!(fills.len(), FILLS_KEPT_PER_ACCOUNT);
    assert_eq!(fills[0].order_id, buys[buys.len() - 1]);
    assert_eq!(
        fills.last().unwrap().order_id,
        buys[buys.len() - FILLS_KEPT_PER_ACCOUNT]
    );
    assert_eq!(h.fills(ANN, usize::MAX).len(), FILLS_KEPT_PER_ACCOUNT);

    let recent = h.recent_orders(BOB, None, usize::MAX);
    assert_eq!(recent.len(), FINISHED_ORDERS_KEPT_PER_ACCOUNT);
    assert_eq!(recent[0].id, buys[buys.len() - 1]);
    // The oldest finished order is forgotten by every lookup.
    assert_eq!(h.order(buys[0]), None);
    assert_eq!(h.order_by_client_id(BOB, ClientOrderId(1)), None);
    assert_eq!(
        h.order_by_client_id(BOB, ClientOrderId(2)).map(|o| o.id),
        Some(buys[1])
    );
    // Open orders are never dropped.
    assert_eq!(
        state_of(&m.order(offer)),
        (OrderState::Open, 5_000, count, 5_000 - count)
    );

    for n in 0..count {
        m.act(
            2_000 + n,
            BOB,
            Action::TransferCredits {
                to: ANN,
                amount: Credits(1),
            },
        );
    }
    let transfers = m.history.transfers(ANN, usize::MAX);
    assert_eq!(transfers.len(), TRANSFERS_KEPT_PER_ACCOUNT);
    assert_eq!(transfers[0].time_ms, 2_000 + count - 1);
    // The deposit and the first payment are gone.
    assert_eq!(
        transfers.last().unwrap().time_ms,
        2_000 + count - kept(TRANSFERS_KEPT_PER_ACCOUNT)
    );
}

#[test]
fn checkpoints_only_advance_the_sequence() {
    let mut m = Market::new();
    let state_hash = m.exchange.state().state_hash();
    let entry = Entry::Checkpoint { state_hash };
    m.history.apply(&Record {
        seq: m.seq + 1,
        timestamp_ns: 0,
        entry,
    });
    assert_eq!(m.history.last_seq(), m.seq + 1);
    assert_eq!(History::new().last_seq(), 0);
}

#[test]
#[should_panic(expected = "increasing seq")]
fn records_must_come_in_increasing_seq() {
    let mut m = Market::new();
    let state_hash = m.exchange.state().state_hash();
    let entry = Entry::Checkpoint { state_hash };
    m.history.apply(&Record {
        seq: m.seq,
        timestamp_ns: 0,
        entry,
    });
}

#[test]
#[should_panic(expected = "neither rested, filled nor had its remainder cancelled")]
fn an_incoming_order_must_rest_fill_or_be_cancelled() {
    let mut m = Market::new();
    let command = Command::by(ANN, Action::PlaceOrder(limit(Side::Buy, 50, 1)));
    let accepted = m.exchange.execute(&command).unwrap()[0];
    assert!(matches!(accepted, Event::OrderAccepted { .. }));
    let entry = Entry::Command {
        command,
        events: vec![accepted].into(),
    };
    m.history.apply(&Record {
        seq: m.seq + 1,
        timestamp_ns: 0,
        entry,
    });
}

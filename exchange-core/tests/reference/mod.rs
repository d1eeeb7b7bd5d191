//! A deliberately simple reference model of the exchange, for differential testing.
//!
//! It shares only the public *types* with `exchange-core` (ids, amounts, commands, events,
//! rejections); every rule is implemented again here, as plainly as possible:
//!
//! - a `BTreeMap` of accounts with available and held credits, and per ticker available and
//!   held shares;
//! - per ticker, one `Vec` of resting orders per side, scanned linearly for the best order
//!   (best price, then earliest sequence number); a new or re-prioritised order simply takes
//!   the next sequence number;
//! - a command runs on a clone of the model, which replaces the model only if the command is
//!   accepted, so a rejection cannot change anything.
//!
//! The model emits the events it expects the engine to emit (in the same order), and the
//! same [`Rejection`] (variant and fields) for a refused command. It covers every [`Action`],
//! balance alerts included.

use exchange_core::limits::{
    ACCOUNTS_MAX, CREDITS_TOTAL_MAX, ORDERS_OPEN_PER_ACCOUNT_MAX, PRICE_MAX, QUANTITY_MAX,
    SHARES_TOTAL_MAX, TICKERS_MAX,
};
use exchange_core::{
    AccountId, AccountKind, AccountStatus, Action, Actor, AlertDirection, CancelReason,
    ClientOrderId, Command, Credits, Event, NewOrder, OrderId, OrderRef, OrderType, Price,
    Priority, Quantity, Rejection, RemainderReason, SelfTrade, Side, Symbol, TickerId,
    TickerStatus, TimeInForce, TransferReason,
};
use std::collections::BTreeMap;

/// One account as the tests compare it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountSnapshot {
    pub id: AccountId,
    pub kind: AccountKind,
    pub status: AccountStatus,
    pub orchestrated_by: Option<AccountId>,
    pub credits_available: u64,
    pub credits_held: u64,
    /// Non-empty positions in ticker order: (ticker, available, held).
    pub positions: Vec<(TickerId, u64, u64)>,
    pub orders_open: u32,
}

/// One resting order as the tests compare it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderSnapshot {
    pub id: OrderId,
    pub account: AccountId,
    pub price: u64,
    pub remaining: u64,
    pub filled: u64,
    pub client_order_id: Option<ClientOrderId>,
}

/// One ticker as the tests compare it, with both sides in priority order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TickerSnapshot {
    pub id: TickerId,
    pub symbol: Symbol,
    pub status: TickerStatus,
    pub shares_total: u64,
    pub last_price: Option<u64>,
    pub trades: u64,
    pub volume: u64,
    pub bids: Vec<OrderSnapshot>,
    pub asks: Vec<OrderSnapshot>,
}

#[derive(Clone, Debug)]
struct Alert {
    threshold: u64,
    armed: bool,
}

#[derive(Clone, Debug)]
struct Account {
    kind: AccountKind,
    active: bool,
    orchestrated_by: Option<AccountId>,
    available: u64,
    held: u64,
    /// ticker -> (available, held)
    shares: BTreeMap<TickerId, (u64, u64)>,
    below: Option<Alert>,
    above: Option<Alert>,
}

impl Account {
    fn shares(&self, ticker: TickerId) -> (u64, u64) {
        self.shares.get(&ticker).copied().unwrap_or((0, 0))
    }

    fn shares_mut(&mut self, ticker: TickerId) -> &mut (u64, u64) {
        self.shares.entry(ticker).or_insert((0, 0))
    }

    fn alert_mut(&mut self, direction: AlertDirection) -> &mut Option<Alert> {
        match direction {
            AlertDirection::Below => &mut self.below,
            AlertDirection::Above => &mut self.above,
        }
    }
}

#[derive(Clone, Debug)]
struct Order {
    id: OrderId,
    account: AccountId,
    side: Side,
    price: u64,
    remaining: u64,
    filled: u64,
    client_order_id: Option<ClientOrderId>,
    /// Time priority: lower is earlier.
    seq: u64,
}

#[derive(Clone, Debug)]
struct Ticker {
    symbol: Symbol,
    open: bool,
    shares_total: u64,
    last_price: Option<u64>,
    trades: u64,
    volume: u64,
    bids: Vec<Order>,
    asks: Vec<Order>,
}

impl Ticker {
    fn side(&self, side: Side) -> &Vec<Order> {
        match side {
            Side::Buy => &self.bids,
            Side::Sell => &self.asks,
        }
    }

    fn side_mut(&mut self, side: Side) -> &mut Vec<Order> {
        match side {
            Side::Buy => &mut self.bids,
            Side::Sell => &mut self.asks,
        }
    }

    /// Index of the best order of a side: best price, then earliest.
    fn best(&self, side: Side) -> Option<usize> {
        let orders = self.side(side);
        let mut best: Option<usize> = None;
        for (at, order) in orders.iter().enumerate() {
            best = match best {
                None => Some(at),
                Some(current) => {
                    let c = &orders[current];
                    let better_price = match side {
                        Side::Buy => order.price > c.price,
                        Side::Sell => order.price < c.price,
                    };
                    if better_price || (order.price == c.price && order.seq < c.seq) {
                        Some(at)
                    } else {
                        Some(current)
                    }
                }
            };
        }
        best
    }

    fn best_price(&self, side: Side) -> Option<u64> {
        self.best(side).map(|at| self.side(side)[at].price)
    }

    /// A side's orders in priority order.
    fn sorted(&self, side: Side) -> Vec<Order> {
        let mut orders = self.side(side).clone();
        orders.sort_by_key(|o| {
            let price_key = match side {
                Side::Buy => u64::MAX - o.price,
                Side::Sell => o.price,
            };
            (price_key, o.seq)
        });
        orders
    }

    fn find(&self, id: OrderId) -> Option<(Side, usize)> {
        for side in [Side::Buy, Side::Sell] {
            if let Some(at) = self.side(side).iter().position(|o| o.id == id) {
                return Some((side, at));
            }
        }
        None
    }
}

/// Whether an order on `side` limited at `limit` trades against a resting `price`.
fn crosses(side: Side, limit: u64, price: u64) -> bool {
    match side {
        Side::Buy => price <= limit,
        Side::Sell => price >= limit,
    }
}

/// Why the matching loop stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stop {
    Filled,
    Exhausted,
    Budget,
    SelfTrade,
}

/// The reference exchange.
#[derive(Clone, Debug)]
pub struct Model {
    accounts: BTreeMap<AccountId, Account>,
    tickers: BTreeMap<TickerId, Ticker>,
    client_ids: BTreeMap<(AccountId, ClientOrderId), OrderId>,
    next_order: u64,
    next_seq: u64,
    credits_total: u64,
}

impl Default for Model {
    fn default() -> Self {
        Self::new()
    }
}

type Out = Vec<Event>;

impl Model {
    pub fn new() -> Self {
        Self {
            accounts: BTreeMap::new(),
            tickers: BTreeMap::new(),
            client_ids: BTreeMap::new(),
            next_order: 1,
            next_seq: 0,
            credits_total: 0,
        }
    }

    /// Runs a command: the events it produced, or why it was refused (changing nothing).
    pub fn execute(&mut self, command: &Command) -> Result<Vec<Event>, Rejection> {
        let mut next = self.clone();
        let mut out = Vec::new();
        next.dispatch(command, &mut out)?;
        next.check_alerts(&mut out);
        *self = next;
        Ok(out)
    }

    // ----- snapshots -----

    pub fn accounts(&self) -> Vec<AccountSnapshot> {
        self.accounts
            .iter()
            .map(|(&id, a)| AccountSnapshot {
                id,
                kind: a.kind,
                status: if a.active {
                    AccountStatus::Active
                } else {
                    AccountStatus::Closed
                },
                orchestrated_by: a.orchestrated_by,
                credits_available: a.available,
                credits_held: a.held,
                positions: a
                    .shares
                    .iter()
                    .filter(|(_, &(av, h))| av > 0 || h > 0)
                    .map(|(&t, &(av, h))| (t, av, h))
                    .collect(),
                orders_open: self.open_count(id),
            })
            .collect()
    }

    pub fn tickers(&self) -> Vec<TickerSnapshot> {
        let snap = |orders: Vec<Order>| {
            orders
                .into_iter()
                .map(|o| OrderSnapshot {
                    id: o.id,
                    account: o.account,
                    price: o.price,
                    remaining: o.remaining,
                    filled: o.filled,
                    client_order_id: o.client_order_id,
                })
                .collect()
        };
        self.tickers
            .iter()
            .map(|(&id, t)| TickerSnapshot {
                id,
                symbol: t.symbol,
                status: if t.open {
                    TickerStatus::Open
                } else {
                    TickerStatus::Closed
                },
                shares_total: t.shares_total,
                last_price: t.last_price,
                trades: t.trades,
                volume: t.volume,
                bids: snap(t.sorted(Side::Buy)),
                asks: snap(t.sorted(Side::Sell)),
            })
            .collect()
    }

    /// Every client order id ever used, with the order it named.
    pub fn client_ids(&self) -> Vec<((AccountId, ClientOrderId), OrderId)> {
        self.client_ids.iter().map(|(&k, &v)| (k, v)).collect()
    }

    pub fn next_order_id(&self) -> OrderId {
        OrderId(self.next_order)
    }

    pub fn credits_total(&self) -> u64 {
        self.credits_total
    }

    // ----- shared checks -----

    fn open_count(&self, account: AccountId) -> u32 {
        let mut n = 0;
        for t in self.tickers.values() {
            n += t.bids.iter().filter(|o| o.account == account).count();
            n += t.asks.iter().filter(|o| o.account == account).count();
        }
        n as u32
    }

    fn active(&self, id: AccountId) -> Result<&Account, Rejection> {
        let account = self
            .accounts
            .get(&id)
            .ok_or(Rejection::UnknownAccount(id))?;
        if !account.active {
            return Err(Rejection::AccountClosed(id));
        }
        Ok(account)
    }

    fn acting(&self, actor: Actor) -> Result<AccountId, Rejection> {
        match actor {
            Actor::Operator => Err(Rejection::AccountRequired),
            Actor::Account(id) => self.active(id).map(|_| id),
        }
    }

    fn admin(&self, actor: Actor) -> Result<(), Rejection> {
        match actor {
            Actor::Operator => Ok(()),
            Actor::Account(id) => {
                if self.active(id)?.kind == AccountKind::Admin {
                    Ok(())
                } else {
                    Err(Rejection::NotAdmin(id))
                }
            }
        }
    }

    fn orchestrator(&self, actor: Actor) -> Result<AccountId, Rejection> {
        let id = self.acting(actor)?;
        if self.accounts[&id].kind == AccountKind::Orchestrator {
            Ok(id)
        } else {
            Err(Rejection::NotOrchestrator(id))
        }
    }

    fn acct(&mut self, id: AccountId) -> &mut Account {
        self.accounts.get_mut(&id).expect("model: account exists")
    }

    fn new_account_id(&self) -> Result<AccountId, Rejection> {
        if self.accounts.len() >= ACCOUNTS_MAX as usize {
            return Err(Rejection::TooManyAccounts);
        }
        Ok(AccountId(self.accounts.len() as u32 + 1))
    }

    // ----- dispatch -----

    fn dispatch(&mut self, command: &Command, out: &mut Out) -> Result<(), Rejection> {
        let actor = command.actor;
        match command.action {
            Action::CreateAccount { kind } => {
                self.admin(actor)?;
                let id = self.new_account_id()?;
                self.create_account(id, kind, None, out);
                Ok(())
            }
            Action::CreateTicker { symbol } => {
                self.admin(actor)?;
                if self.tickers.values().any(|t| t.symbol == symbol) {
                    return Err(Rejection::DuplicateSymbol(symbol));
                }
                if self.tickers.len() >= TICKERS_MAX as usize {
                    return Err(Rejection::TooManyTickers);
                }
                let id = TickerId(self.tickers.len() as u32 + 1);
                self.tickers.insert(
                    id,
                    Ticker {
                        symbol,
                        open: true,
                        shares_total: 0,
                        last_price: None,
                        trades: 0,
                        volume: 0,
                        bids: Vec::new(),
                        asks: Vec::new(),
                    },
                );
                out.push(Event::TickerCreated { ticker: id, symbol });
                Ok(())
            }
            Action::SetTickerStatus { ticker, status } => {
                self.admin(actor)?;
                let t = self
                    .tickers
                    .get_mut(&ticker)
                    .ok_or(Rejection::UnknownTicker(ticker))?;
                let open = status == TickerStatus::Open;
                if t.open == open {
                    return Err(Rejection::TickerStatusUnchanged(t.symbol));
                }
                t.open = open;
                out.push(Event::TickerStatusChanged { ticker, status });
                Ok(())
            }
            Action::DepositCredits { account, amount } => {
                self.admin(actor)?;
                self.active(account)?;
                if amount.0 == 0 {
                    return Err(Rejection::InvalidAmount);
                }
                match self.credits_total.checked_add(amount.0) {
                    Some(total) if total <= CREDITS_TOTAL_MAX => self.credits_total = total,
                    _ => return Err(Rejection::Overflow),
                }
                self.acct(account).available += amount.0;
                out.push(Event::CreditsDeposited { account, amount });
                Ok(())
            }
            Action::IssueShares {
                account,
                ticker,
                quantity,
            } => {
                self.admin(actor)?;
                self.active(account)?;
                let t = self
                    .tickers
                    .get_mut(&ticker)
                    .ok_or(Rejection::UnknownTicker(ticker))?;
                if quantity.0 == 0 {
                    return Err(Rejection::InvalidQuantity(quantity));
                }
                match t.shares_total.checked_add(quantity.0) {
                    Some(total) if total <= SHARES_TOTAL_MAX => t.shares_total = total,
                    _ => return Err(Rejection::Overflow),
                }
                self.acct(account).shares_mut(ticker).0 += quantity.0;
                out.push(Event::SharesIssued {
                    account,
                    ticker,
                    quantity,
                });
                Ok(())
            }
            Action::TransferCredits { to, amount } => {
                let from = self.acting(actor)?;
                self.active(to)?;
                if amount.0 == 0 {
                    return Err(Rejection::InvalidAmount);
                }
                if to == from {
                    return Err(Rejection::SelfTransfer);
                }
                let available = self.accounts[&from].available;
                if amount.0 > available {
                    return Err(Rejection::InsufficientCredits {
                        needed: amount,
                        available: Credits(available),
                    });
                }
                self.move_credits(from, to, amount.0, TransferReason::Payment, out);
                Ok(())
            }
            Action::PlaceOrder(ref order) => self.place(actor, order, out),
            Action::CancelOrder { order } => {
                let me = self.acting(actor)?;
                let (ticker, id) = self.own_resting(me, order)?;
                self.cancel(ticker, id, CancelReason::Requested, out);
                Ok(())
            }
            Action::CancelAllOrders { ticker } => {
                let me = self.acting(actor)?;
                if let Some(t) = ticker {
                    if !self.tickers.contains_key(&t) {
                        return Err(Rejection::UnknownTicker(t));
                    }
                }
                for (t, id) in self.orders_of(me) {
                    if ticker.is_none_or(|only| only == t) {
                        self.cancel(t, id, CancelReason::CancelAll, out);
                    }
                }
                Ok(())
            }
            Action::AmendOrder {
                order,
                price,
                quantity,
            } => self.amend(actor, order, price, quantity, out),
            Action::CreateOrchestratedAccount { initial_credits } => {
                let orchestrator = self.orchestrator(actor)?;
                let id = self.new_account_id()?;
                let available = self.accounts[&orchestrator].available;
                if initial_credits.0 > available {
                    return Err(Rejection::InsufficientCredits {
                        needed: initial_credits,
                        available: Credits(available),
                    });
                }
                self.create_account(id, AccountKind::Standard, Some(orchestrator), out);
                if initial_credits.0 > 0 {
                    self.move_credits(
                        orchestrator,
                        id,
                        initial_credits.0,
                        TransferReason::Funding,
                        out,
                    );
                }
                Ok(())
            }
            Action::LiquidateAccount { account } => {
                let orchestrator = self.orchestrator(actor)?;
                let target = self
                    .accounts
                    .get(&account)
                    .ok_or(Rejection::UnknownAccount(account))?;
                if target.orchestrated_by != Some(orchestrator) {
                    return Err(Rejection::NotYourOrchestratedAccount {
                        account,
                        orchestrator,
                    });
                }
                if !target.active {
                    return Err(Rejection::AccountClosed(account));
                }
                self.liquidate(account, orchestrator, out);
                Ok(())
            }
            Action::LiquidateAll => {
                let orchestrator = self.orchestrator(actor)?;
                let targets: Vec<AccountId> = self
                    .accounts
                    .iter()
                    .filter(|(_, a)| a.active && a.orchestrated_by == Some(orchestrator))
                    .map(|(&id, _)| id)
                    .collect();
                for target in targets {
                    self.liquidate(target, orchestrator, out);
                }
                Ok(())
            }
            Action::SetAlert {
                direction,
                threshold,
            } => {
                let me = self.acting(actor)?;
                *self.acct(me).alert_mut(direction) = Some(Alert {
                    threshold: threshold.0,
                    armed: true,
                });
                out.push(Event::AlertSet {
                    account: me,
                    direction,
                    threshold,
                });
                Ok(())
            }
            Action::ClearAlert { direction } => {
                let me = self.acting(actor)?;
                let slot = self.acct(me).alert_mut(direction);
                if slot.is_none() {
                    return Err(Rejection::AlertNotSet(direction));
                }
                *slot = None;
                out.push(Event::AlertCleared {
                    account: me,
                    direction,
                });
                Ok(())
            }
        }
    }

    fn create_account(
        &mut self,
        id: AccountId,
        kind: AccountKind,
        orchestrated_by: Option<AccountId>,
        out: &mut Out,
    ) {
        self.accounts.insert(
            id,
            Account {
                kind,
                active: true,
                orchestrated_by,
                available: 0,
                held: 0,
                shares: BTreeMap::new(),
                below: None,
                above: None,
            },
        );
        out.push(Event::AccountCreated {
            account: id,
            kind,
            orchestrated_by,
        });
    }

    fn move_credits(
        &mut self,
        from: AccountId,
        to: AccountId,
        amount: u64,
        reason: TransferReason,
        out: &mut Out,
    ) {
        let payer = self.acct(from);
        payer.available = payer
            .available
            .checked_sub(amount)
            .expect("model: payer covers the transfer");
        self.acct(to).available += amount;
        out.push(Event::CreditsTransferred {
            from,
            to,
            amount: Credits(amount),
            reason,
        });
    }

    /// (ticker, order id) of every resting order of an account, in id order.
    fn orders_of(&self, account: AccountId) -> Vec<(TickerId, OrderId)> {
        let mut found = Vec::new();
        for (&t, ticker) in &self.tickers {
            for o in ticker.bids.iter().chain(ticker.asks.iter()) {
                if o.account == account {
                    found.push((t, o.id));
                }
            }
        }
        found.sort_by_key(|&(_, id)| id);
        found
    }

    fn locate(&self, id: OrderId) -> Option<(TickerId, Side, usize)> {
        self.tickers
            .iter()
            .find_map(|(&t, ticker)| ticker.find(id).map(|(side, at)| (t, side, at)))
    }

    fn order(&self, id: OrderId) -> Option<(TickerId, &Order)> {
        let (t, side, at) = self.locate(id)?;
        Some((t, &self.tickers[&t].side(side)[at]))
    }

    /// Resolves a reference to one of `me`'s resting orders.
    fn own_resting(
        &self,
        me: AccountId,
        target: OrderRef,
    ) -> Result<(TickerId, OrderId), Rejection> {
        let id = match target {
            OrderRef::Id(id) => id,
            OrderRef::Client(client) => *self
                .client_ids
                .get(&(me, client))
                .ok_or(Rejection::UnknownOrder)?,
        };
        match self.order(id) {
            None if id.0 >= 1 && id.0 < self.next_order => Err(Rejection::OrderNotOpen(id)),
            None => Err(Rejection::UnknownOrder),
            Some((_, o)) if o.account != me => Err(Rejection::NotOwner(id)),
            Some((t, _)) => Ok((t, id)),
        }
    }

    /// Takes a resting order off its book, releases its hold and reports it.
    fn cancel(&mut self, ticker: TickerId, id: OrderId, reason: CancelReason, out: &mut Out) {
        let t = self.tickers.get_mut(&ticker).expect("model: ticker exists");
        let (side, at) = t.find(id).expect("model: order rests");
        let order = t.side_mut(side).remove(at);
        self.release(order.account, ticker, side, order.price, order.remaining);
        out.push(Event::OrderCancelled {
            order: id,
            account: order.account,
            ticker,
            side,
            price: Price(order.price),
            quantity: Quantity(order.remaining),
            reason,
        });
    }

    fn hold(&mut self, account: AccountId, ticker: TickerId, side: Side, price: u64, qty: u64) {
        let a = self.acct(account);
        match side {
            Side::Buy => {
                let cost = price * qty;
                a.available = a.available.checked_sub(cost).expect("model: hold covered");
                a.held += cost;
            }
            Side::Sell => {
                let s = a.shares_mut(ticker);
                s.0 = s.0.checked_sub(qty).expect("model: shares hold covered");
                s.1 += qty;
            }
        }
    }

    fn release(&mut self, account: AccountId, ticker: TickerId, side: Side, price: u64, qty: u64) {
        let a = self.acct(account);
        match side {
            Side::Buy => {
                let cost = price * qty;
                a.held = a.held.checked_sub(cost).expect("model: release covered");
                a.available += cost;
            }
            Side::Sell => {
                let s = a.shares_mut(ticker);
                s.1 = s.1.checked_sub(qty).expect("model: shares release covered");
                s.0 += qty;
            }
        }
    }

    // ----- orders -----

    fn place(&mut self, actor: Actor, order: &NewOrder, out: &mut Out) -> Result<(), Rejection> {
        let me = self.acting(actor)?;
        let ticker_id = order.ticker;
        let ticker = self
            .tickers
            .get(&ticker_id)
            .ok_or(Rejection::UnknownTicker(ticker_id))?;
        if !ticker.open {
            return Err(Rejection::MarketClosed(ticker.symbol));
        }
        let qty = order.quantity.0;
        if qty == 0 || qty > QUANTITY_MAX {
            return Err(Rejection::InvalidQuantity(order.quantity));
        }
        let (limit, tif) = match order.order_type {
            OrderType::Market => (None, None),
            OrderType::Limit {
                price,
                time_in_force,
            } => {
                if price.0 == 0 || price.0 > PRICE_MAX {
                    return Err(Rejection::InvalidPrice(price));
                }
                (Some(price.0), Some(time_in_force))
            }
        };
        if let Some(client) = order.client_order_id {
            if self.client_ids.contains_key(&(me, client)) {
                return Err(Rejection::DuplicateClientOrderId(client));
            }
        }
        let may_rest = matches!(tif, Some(TimeInForce::Gtc | TimeInForce::PostOnly));
        if may_rest && self.open_count(me) >= ORDERS_OPEN_PER_ACCOUNT_MAX {
            return Err(Rejection::TooManyOpenOrders);
        }
        let side = order.side;
        let account = &self.accounts[&me];
        // A market buy may spend at most what is available when it arrives.
        let mut budget: Option<u64> = None;
        match (side, limit) {
            (Side::Buy, Some(price)) => {
                let needed = price.checked_mul(qty).ok_or(Rejection::Overflow)?;
                if needed > account.available {
                    return Err(Rejection::InsufficientCredits {
                        needed: Credits(needed),
                        available: Credits(account.available),
                    });
                }
            }
            (Side::Buy, None) => budget = Some(account.available),
            (Side::Sell, _) => {
                let available = account.shares(ticker_id).0;
                if qty > available {
                    return Err(Rejection::InsufficientShares {
                        needed: order.quantity,
                        available: Quantity(available),
                    });
                }
            }
        }
        let initial_budget = budget;
        if let (Some(price), Some(TimeInForce::PostOnly)) = (limit, tif) {
            if let Some(best) = ticker.best_price(side.opposite()) {
                if crosses(side, price, best) {
                    return Err(Rejection::PostOnlyWouldTrade);
                }
            }
        }

        let id = OrderId(self.next_order);
        self.next_order += 1;
        if let Some(client) = order.client_order_id {
            self.client_ids.insert((me, client), id);
        }
        out.push(Event::OrderAccepted {
            order: id,
            account: me,
            ticker: ticker_id,
            side,
            order_type: order.order_type,
            quantity: order.quantity,
            client_order_id: order.client_order_id,
            self_trade: order.self_trade,
        });

        // Match against the opposite side, one best order at a time.
        let mut remaining = qty;
        let mut acted = false;
        let stop = loop {
            let book = &self.tickers[&ticker_id];
            let Some(at) = book.best(side.opposite()) else {
                break Stop::Exhausted;
            };
            let maker = book.side(side.opposite())[at].clone();
            if let Some(price) = limit {
                if !crosses(side, price, maker.price) {
                    break Stop::Exhausted;
                }
            }
            if maker.account == me {
                match order.self_trade {
                    SelfTrade::CancelResting => {
                        self.cancel(ticker_id, maker.id, CancelReason::SelfTrade, out);
                        acted = true;
                        continue;
                    }
                    SelfTrade::CancelIncoming => break Stop::SelfTrade,
                }
            }
            let mut fill = remaining.min(maker.remaining);
            if let Some(credits) = budget.as_mut() {
                fill = fill.min(*credits / maker.price);
                if fill == 0 {
                    break Stop::Budget;
                }
                *credits -= maker.price * fill;
            }
            self.trade(ticker_id, me, side, at, &maker, fill, id, out);
            acted = true;
            remaining -= fill;
            if remaining == 0 {
                break Stop::Filled;
            }
        };

        if remaining == 0 {
            return Ok(());
        }
        let dropped = |reason| Event::RemainderCancelled {
            order: id,
            account: me,
            quantity: Quantity(remaining),
            reason,
        };
        match (limit, tif) {
            (None, _) => {
                // A market order that did nothing at all is refused, unless its own self-trade
                // policy stopped it (then it is dropped like an IOC remainder).
                if !acted && stop != Stop::SelfTrade {
                    let best = self.tickers[&ticker_id].best_price(side.opposite());
                    return Err(match (stop, best) {
                        (Stop::Budget, Some(best)) => Rejection::InsufficientCredits {
                            needed: Credits(best),
                            available: Credits(initial_budget.unwrap_or(0)),
                        },
                        _ => Rejection::NoLiquidity,
                    });
                }
                out.push(dropped(match stop {
                    Stop::Budget => RemainderReason::InsufficientCredits,
                    Stop::SelfTrade => RemainderReason::SelfTrade,
                    Stop::Exhausted | Stop::Filled => RemainderReason::NoLiquidity,
                }));
            }
            (Some(_), Some(TimeInForce::Fok)) => return Err(Rejection::FokNotFillable),
            (Some(_), Some(TimeInForce::Ioc)) => out.push(dropped(if stop == Stop::SelfTrade {
                RemainderReason::SelfTrade
            } else {
                RemainderReason::ImmediateOrCancel
            })),
            (Some(price), _) => {
                if stop == Stop::SelfTrade {
                    out.push(dropped(RemainderReason::SelfTrade));
                } else {
                    self.hold(me, ticker_id, side, price, remaining);
                    let seq = self.next_seq;
                    self.next_seq += 1;
                    self.tickers
                        .get_mut(&ticker_id)
                        .expect("model: ticker exists")
                        .side_mut(side)
                        .push(Order {
                            id,
                            account: me,
                            side,
                            price,
                            remaining,
                            filled: qty - remaining,
                            client_order_id: order.client_order_id,
                            seq,
                        });
                    out.push(Event::OrderRested {
                        order: id,
                        account: me,
                        ticker: ticker_id,
                        side,
                        price: Price(price),
                        quantity: Quantity(remaining),
                        filled: Quantity(qty - remaining),
                        client_order_id: order.client_order_id,
                    });
                }
            }
        }
        Ok(())
    }

    /// One fill of the taker against the maker at index `at` of the opposite side.
    #[allow(clippy::too_many_arguments)]
    fn trade(
        &mut self,
        ticker_id: TickerId,
        taker: AccountId,
        taker_side: Side,
        at: usize,
        maker: &Order,
        fill: u64,
        taker_order: OrderId,
        out: &mut Out,
    ) {
        let price = maker.price;
        let cost = price * fill;
        let t = self
            .tickers
            .get_mut(&ticker_id)
            .expect("model: ticker exists");
        let resting = &mut t.side_mut(maker.side)[at];
        resting.remaining -= fill;
        resting.filled += fill;
        if resting.remaining == 0 {
            t.side_mut(maker.side).remove(at);
        }
        t.last_price = Some(price);
        t.trades += 1;
        t.volume += fill;
        // The maker pays from its hold; the taker from what is available.
        match taker_side {
            Side::Buy => {
                let buyer = self.acct(taker);
                buyer.available -= cost;
                buyer.shares_mut(ticker_id).0 += fill;
                let seller = self.acct(maker.account);
                seller.shares_mut(ticker_id).1 -= fill;
                seller.available += cost;
            }
            Side::Sell => {
                let seller = self.acct(taker);
                seller.shares_mut(ticker_id).0 -= fill;
                seller.available += cost;
                let buyer = self.acct(maker.account);
                buyer.held -= cost;
                buyer.shares_mut(ticker_id).0 += fill;
            }
        }
        out.push(Event::Trade {
            ticker: ticker_id,
            price: Price(price),
            quantity: Quantity(fill),
            maker_order: maker.id,
            maker_account: maker.account,
            taker_order,
            taker_account: taker,
            taker_side,
        });
    }

    fn amend(
        &mut self,
        actor: Actor,
        target: OrderRef,
        price: Price,
        quantity: Quantity,
        out: &mut Out,
    ) -> Result<(), Rejection> {
        let me = self.acting(actor)?;
        let (ticker_id, id) = self.own_resting(me, target)?;
        let ticker = &self.tickers[&ticker_id];
        if !ticker.open {
            return Err(Rejection::MarketClosed(ticker.symbol));
        }
        if quantity.0 == 0 || quantity.0 > QUANTITY_MAX {
            return Err(Rejection::InvalidQuantity(quantity));
        }
        if price.0 == 0 || price.0 > PRICE_MAX {
            return Err(Rejection::InvalidPrice(price));
        }
        let (side, at) = ticker.find(id).expect("model: order rests");
        let current = ticker.side(side)[at].clone();
        if price.0 == current.price && quantity.0 == current.remaining {
            return Err(Rejection::AmendmentUnchanged);
        }
        if price.0 != current.price {
            if let Some(best) = ticker.best_price(side.opposite()) {
                if crosses(side, price.0, best) {
                    return Err(Rejection::AmendmentWouldTrade(price));
                }
            }
        }
        let account = &self.accounts[&me];
        match side {
            Side::Buy => {
                let new_hold = price.0.checked_mul(quantity.0).ok_or(Rejection::Overflow)?;
                let old_hold = current.price * current.remaining;
                let needed = new_hold.saturating_sub(old_hold);
                if needed > account.available {
                    return Err(Rejection::InsufficientCredits {
                        needed: Credits(needed),
                        available: Credits(account.available),
                    });
                }
            }
            Side::Sell => {
                let needed = quantity.0.saturating_sub(current.remaining);
                let available = account.shares(ticker_id).0;
                if needed > available {
                    return Err(Rejection::InsufficientShares {
                        needed: Quantity(needed),
                        available: Quantity(available),
                    });
                }
            }
        }
        let kept = price.0 == current.price && quantity.0 < current.remaining;
        self.release(me, ticker_id, side, current.price, current.remaining);
        self.hold(me, ticker_id, side, price.0, quantity.0);
        let seq = if kept {
            current.seq
        } else {
            self.next_seq += 1;
            self.next_seq - 1
        };
        let t = self
            .tickers
            .get_mut(&ticker_id)
            .expect("model: ticker exists");
        let resting = &mut t.side_mut(side)[at];
        resting.price = price.0;
        resting.remaining = quantity.0;
        resting.seq = seq;
        out.push(Event::OrderAmended {
            order: id,
            account: me,
            ticker: ticker_id,
            side,
            old_price: Price(current.price),
            old_quantity: Quantity(current.remaining),
            price,
            quantity,
            priority: if kept { Priority::Kept } else { Priority::Lost },
        });
        Ok(())
    }

    // ----- orchestration -----

    fn liquidate(&mut self, target: AccountId, orchestrator: AccountId, out: &mut Out) {
        for direction in [AlertDirection::Below, AlertDirection::Above] {
            let slot = self.acct(target).alert_mut(direction);
            if slot.take().is_some() {
                out.push(Event::AlertCleared {
                    account: target,
                    direction,
                });
            }
        }
        for (ticker, id) in self.orders_of(target) {
            self.cancel(ticker, id, CancelReason::Liquidation, out);
        }
        let account = self.acct(target);
        assert_eq!(account.held, 0, "model: cancels released every credit");
        let credits = account.available;
        if credits > 0 {
            self.move_credits(
                target,
                orchestrator,
                credits,
                TransferReason::Liquidation,
                out,
            );
        }
        let shares: Vec<(TickerId, u64)> = self.accounts[&target]
            .shares
            .iter()
            .map(|(&t, &(available, held))| (t, available + held))
            .filter(|&(_, quantity)| quantity > 0)
            .collect();
        for (ticker, quantity) in shares {
            *self.acct(target).shares_mut(ticker) = (0, 0);
            self.acct(orchestrator).shares_mut(ticker).0 += quantity;
            out.push(Event::SharesTransferred {
                from: target,
                to: orchestrator,
                ticker,
                quantity: Quantity(quantity),
                reason: TransferReason::Liquidation,
            });
        }
        self.acct(target).active = false;
        out.push(Event::AccountClosed { account: target });
    }

    // ----- alerts -----

    /// After an accepted command: fire armed alerts whose condition now holds and re-arm
    /// fired ones whose condition no longer holds, for every active account whose total
    /// credits the command moved or whose alert it set, in account order.
    fn check_alerts(&mut self, out: &mut Out) {
        let mut touched: Vec<AccountId> = Vec::new();
        for event in out.iter() {
            match *event {
                Event::CreditsDeposited { account, .. } | Event::AlertSet { account, .. } => {
                    touched.push(account)
                }
                Event::CreditsTransferred { from, to, .. } => touched.extend([from, to]),
                Event::Trade {
                    maker_account,
                    taker_account,
                    ..
                } => touched.extend([maker_account, taker_account]),
                _ => {}
            }
        }
        touched.sort();
        touched.dedup();
        for id in touched {
            let account = self.acct(id);
            if !account.active {
                continue;
            }
            let balance = account.available + account.held;
            for direction in [AlertDirection::Below, AlertDirection::Above] {
                let Some(alert) = account.alert_mut(direction).as_mut() else {
                    continue;
                };
                let holds = match direction {
                    AlertDirection::Below => balance < alert.threshold,
                    AlertDirection::Above => balance > alert.threshold,
                };
                if alert.armed && holds {
                    alert.armed = false;
                    out.push(Event::AlertTriggered {
                        account: id,
                        direction,
                        threshold: Credits(alert.threshold),
                        balance: Credits(balance),
                    });
                } else if !alert.armed && !holds {
                    alert.armed = true;
                    out.push(Event::AlertRearmed {
                        account: id,
                        direction,
                    });
                }
            }
        }
    }
}

//! A whole-state consistency check, run after every step of property tests, simulations and
//! audits. It recomputes every derived figure from the orders themselves.

use crate::book::NIL;
use crate::command::{AccountKind, Side};
use crate::ids::{AccountId, TickerId};
use crate::ledger::AccountStatus;
use crate::money::{Credits, Quantity};
use crate::state::State;
use std::collections::BTreeMap;

/// A broken invariant, described for a human.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invariant violated: {0}")]
pub struct InvariantViolation(pub String);

/// Holds and order counts recomputed from the books.
#[derive(Default)]
struct Recomputed {
    credits_held: BTreeMap<AccountId, u128>,
    shares_held: BTreeMap<(AccountId, TickerId), u64>,
    orders_open: BTreeMap<AccountId, u32>,
    orders: usize,
}

macro_rules! ensure {
    ($condition:expr, $($message:tt)+) => {
        if !$condition {
            return Err(InvariantViolation(format!($($message)+)));
        }
    };
}

impl State {
    /// Checks that the state is consistent: money is conserved, nothing is negative or over
    /// its limit, every hold equals exactly what open orders need, every book is sorted and
    /// not crossed, and every index agrees with the books.
    pub fn check_invariants(&self) -> Result<(), InvariantViolation> {
        let mut recomputed = Recomputed::default();
        for (id, ticker) in self.tickers.iter() {
            self.check_book(id, &mut recomputed)?;
            self.check_shares(id, ticker.shares_total)?;
        }
        ensure!(
            recomputed.orders == self.orders.len(),
            "order index has {} entries, books hold {}",
            self.orders.len(),
            recomputed.orders
        );
        self.check_accounts(&recomputed)?;
        for (&(account, _), order) in &self.client_ids {
            ensure!(
                order.0 > 0 && *order < self.next_order_id,
                "client id of {account} names unaccepted order {order}"
            );
        }
        Ok(())
    }

    fn check_book(
        &self,
        ticker: TickerId,
        recomputed: &mut Recomputed,
    ) -> Result<(), InvariantViolation> {
        let book = &self.tickers.get(ticker).expect("iterating tickers").book;
        for side in [Side::Buy, Side::Sell] {
            let mut previous = None;
            for level in book.levels(side) {
                if let Some(better) = previous {
                    let sorted = match side {
                        Side::Buy => level.price < better,
                        Side::Sell => level.price > better,
                    };
                    ensure!(
                        sorted,
                        "{side:?} levels of ticker {ticker} out of order at {}",
                        level.price
                    );
                }
                previous = Some(level.price);
                let (mut quantity, mut count, mut slot) = (0u64, 0u32, level.head);
                while slot != NIL {
                    let order = self.orders.get(slot);
                    ensure!(
                        order.side == side && order.ticker == ticker && order.price == level.price,
                        "order {} sits in the wrong level",
                        order.id
                    );
                    ensure!(
                        order.remaining.0 > 0,
                        "order {} rests with nothing",
                        order.id
                    );
                    ensure!(
                        self.orders.slot_of(order.id) == Some(slot),
                        "order {} is not indexed",
                        order.id
                    );
                    quantity += order.remaining.0;
                    count += 1;
                    match side {
                        Side::Buy => {
                            *recomputed.credits_held.entry(order.account).or_default() +=
                                u128::from(order.price.cost(order.remaining).0)
                        }
                        Side::Sell => {
                            *recomputed
                                .shares_held
                                .entry((order.account, ticker))
                                .or_default() += order.remaining.0
                        }
                    }
                    *recomputed.orders_open.entry(order.account).or_default() += 1;
                    slot = order.level_next();
                }
                ensure!(
                    level.quantity == Quantity(quantity) && level.orders == count && count > 0,
                    "level {} of ticker {ticker} totals disagree with its orders",
                    level.price
                );
                recomputed.orders += count as usize;
            }
        }
        if let (Some(bid), Some(ask)) = (book.best(Side::Buy), book.best(Side::Sell)) {
            ensure!(
                bid.price < ask.price,
                "ticker {ticker} is crossed: bid {} >= ask {}",
                bid.price,
                ask.price
            );
        }
        Ok(())
    }

    fn check_shares(&self, ticker: TickerId, issued: Quantity) -> Result<(), InvariantViolation> {
        let mut total: u128 = 0;
        for (_, account) in self.ledger.iter() {
            let position = account.position(ticker);
            total += u128::from(position.available.0) + u128::from(position.held.0);
        }
        ensure!(
            total == u128::from(issued.0),
            "ticker {ticker}: accounts hold {total} shares, {issued} were issued"
        );
        Ok(())
    }

    fn check_accounts(&self, recomputed: &Recomputed) -> Result<(), InvariantViolation> {
        let mut credits: u128 = 0;
        let mut alerts = 0u32;
        for (id, account) in self.ledger.iter() {
            credits += u128::from(account.credits_available.0) + u128::from(account.credits_held.0);
            let held = recomputed.credits_held.get(&id).copied().unwrap_or(0);
            ensure!(
                u128::from(account.credits_held.0) == held,
                "account {id} holds {} credits, its bids need {held}",
                account.credits_held
            );
            for (ticker, position) in account.positions() {
                let needed = recomputed
                    .shares_held
                    .get(&(id, ticker))
                    .copied()
                    .unwrap_or(0);
                ensure!(
                    position.held.0 == needed,
                    "account {id} holds {} shares of {ticker}, its asks need {needed}",
                    position.held
                );
            }
            let open = recomputed.orders_open.get(&id).copied().unwrap_or(0);
            ensure!(
                account.orders_open() == open,
                "account {id} lists {} open orders, books hold {open}",
                account.orders_open()
            );
            for (at, &slot) in account.orders.iter().enumerate() {
                let order = self.orders.get(slot);
                ensure!(
                    order.account == id
                        && order.account_at() == at
                        && self.orders.slot_of(order.id) == Some(slot),
                    "account {id}'s list of orders names order {} at the wrong place",
                    order.id
                );
            }
            if let Some(orchestrator) = account.orchestrated_by {
                let kind = self.ledger.get(orchestrator).map(|o| o.kind);
                ensure!(
                    kind == Some(AccountKind::Orchestrator),
                    "account {id} is orchestrated by non-orchestrator {orchestrator}"
                );
            }
            if account.status == AccountStatus::Closed {
                ensure!(
                    account.credits_total() == Credits::ZERO
                        && account.positions().next().is_none()
                        && open == 0
                        && !account.has_alerts(),
                    "closed account {id} still holds something"
                );
            }
            alerts += account.alerts.iter().flatten().count() as u32;
        }
        for (&(id, ticker), &needed) in &recomputed.shares_held {
            let held = self.ledger.get(id).map(|a| a.position(ticker).held.0);
            ensure!(
                held == Some(needed),
                "account {id} holds {held:?} shares of {ticker}, its asks need {needed}"
            );
        }
        ensure!(
            credits == u128::from(self.ledger.credits_total.0),
            "accounts hold {credits} credits, {} were deposited",
            self.ledger.credits_total
        );
        ensure!(
            alerts == self.alerts_set,
            "{alerts} alerts set, counter says {}",
            self.alerts_set
        );
        Ok(())
    }
}

//! The ledger: accounts, their credits and their shares, each split into available and held.
//!
//! Held amounts back resting orders: a resting buy holds `price * remaining` credits, a
//! resting sell holds `remaining` shares. Every other movement (deposits, transfers, trades,
//! liquidation) touches available amounts only. The total of all credits never exceeds
//! [`crate::limits::CREDITS_TOTAL_MAX`], so no balance can overflow.

use crate::book::Slot;
use crate::command::{AccountKind, AlertDirection};
use crate::ids::{AccountId, TickerId};
use crate::money::{Credits, Quantity};

/// Whether an account may act.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum AccountStatus {
    /// It may trade and transfer.
    Active,
    /// It was liquidated; it holds nothing and can do nothing.
    Closed,
}

/// One account's shares of one ticker.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Position {
    pub(crate) available: Quantity,
    pub(crate) held: Quantity,
}

/// A balance alert and whether it will fire on the next crossing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Alert {
    pub(crate) threshold: Credits,
    pub(crate) armed: bool,
}

impl Alert {
    /// Whether the alert's condition holds for a balance.
    pub(crate) fn condition(
        direction: AlertDirection,
        threshold: Credits,
        balance: Credits,
    ) -> bool {
        match direction {
            AlertDirection::Below => balance < threshold,
            AlertDirection::Above => balance > threshold,
        }
    }
}

/// One account.
#[derive(Clone, Debug)]
pub(crate) struct Account {
    pub(crate) kind: AccountKind,
    pub(crate) status: AccountStatus,
    pub(crate) orchestrated_by: Option<AccountId>,
    pub(crate) credits_available: Credits,
    pub(crate) credits_held: Credits,
    /// Indexed by ticker id minus one; missing entries are empty positions.
    positions: Vec<Position>,
    /// Arena slots of the account's resting orders, across all tickers, in no particular
    /// order; each order knows its place here.
    pub(crate) orders: Vec<Slot>,
    /// Indexed by [`alert_index`].
    pub(crate) alerts: [Option<Alert>; 2],
}

/// Where an alert direction's alert is kept in [`Account::alerts`].
pub(crate) const fn alert_index(direction: AlertDirection) -> usize {
    match direction {
        AlertDirection::Below => 0,
        AlertDirection::Above => 1,
    }
}

/// Both alert directions, in storage order.
pub(crate) const ALERT_DIRECTIONS: [AlertDirection; 2] =
    [AlertDirection::Below, AlertDirection::Above];

impl Account {
    pub(crate) fn new(kind: AccountKind, orchestrated_by: Option<AccountId>) -> Self {
        Self {
            kind,
            status: AccountStatus::Active,
            orchestrated_by,
            credits_available: Credits::ZERO,
            credits_held: Credits::ZERO,
            positions: Vec::new(),
            orders: Vec::new(),
            alerts: [None, None],
        }
    }

    /// How many orders the account has resting.
    pub(crate) fn orders_open(&self) -> u32 {
        u32::try_from(self.orders.len()).expect("limit: ORDERS_OPEN_PER_ACCOUNT_MAX fits u32")
    }

    /// Available plus held credits: what balance alerts watch.
    pub(crate) fn credits_total(&self) -> Credits {
        Credits(self.credits_available.0 + self.credits_held.0)
    }

    /// The account's shares of a ticker.
    pub(crate) fn position(&self, ticker: TickerId) -> Position {
        self.positions
            .get(ticker_index(ticker))
            .copied()
            .unwrap_or_default()
    }

    /// The account's shares of a ticker, to change.
    #[inline]
    pub(crate) fn position_mut(&mut self, ticker: TickerId) -> &mut Position {
        let at = ticker_index(ticker);
        if at >= self.positions.len() {
            self.grow_positions(at + 1);
        }
        &mut self.positions[at]
    }

    /// Makes room for positions up to `len` tickers; rare, so kept out of the hot path.
    #[cold]
    fn grow_positions(&mut self, len: usize) {
        self.positions.resize(len, Position::default());
    }

    /// Every ticker in which the account has shares, available or held, in ticker order.
    pub(crate) fn positions(&self) -> impl Iterator<Item = (TickerId, Position)> + '_ {
        self.positions
            .iter()
            .enumerate()
            .filter(|(_, p)| p.available.0 > 0 || p.held.0 > 0)
            .map(|(at, p)| (ticker_id(at), *p))
    }

    pub(crate) fn alert(&self, direction: AlertDirection) -> Option<Alert> {
        self.alerts[alert_index(direction)]
    }

    pub(crate) fn has_alerts(&self) -> bool {
        self.alerts.iter().any(Option::is_some)
    }
}

fn ticker_index(ticker: TickerId) -> usize {
    assert!(ticker.0 > 0, "invariant: ticker ids start at 1");
    (ticker.0 - 1) as usize
}

fn ticker_id(index: usize) -> TickerId {
    TickerId(u32::try_from(index + 1).expect("limit: TICKERS_MAX fits u32"))
}

/// Every account, by id.
#[derive(Clone, Debug, Default)]
pub(crate) struct Ledger {
    accounts: Vec<Account>,
    /// Sum of all deposits: every credit in the exchange, available or held.
    pub(crate) credits_total: Credits,
}

impl Ledger {
    pub(crate) fn get(&self, id: AccountId) -> Option<&Account> {
        id.0.checked_sub(1)
            .and_then(|at| self.accounts.get(at as usize))
    }

    /// An account that decide already found to exist.
    ///
    /// # Panics
    /// If it does not exist, which means an event names an account it should not.
    pub(crate) fn get_mut(&mut self, id: AccountId) -> &mut Account {
        let at =
            id.0.checked_sub(1)
                .expect("invariant: account ids start at 1");
        self.accounts
            .get_mut(at as usize)
            .expect("invariant: events name existing accounts")
    }

    /// The id the next account will get.
    pub(crate) fn next_id(&self) -> AccountId {
        AccountId(u32::try_from(self.accounts.len() + 1).expect("limit: ACCOUNTS_MAX fits u32"))
    }

    pub(crate) fn push(&mut self, id: AccountId, account: Account) {
        assert_eq!(id, self.next_id(), "invariant: account ids are sequential");
        self.accounts.push(account);
    }

    pub(crate) fn len(&self) -> usize {
        self.accounts.len()
    }

    /// Every account with its id, in id order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (AccountId, &Account)> + '_ {
        self.accounts.iter().enumerate().map(|(at, a)| {
            (
                AccountId(u32::try_from(at + 1).expect("limit: ACCOUNTS_MAX fits u32")),
                a,
            )
        })
    }
}

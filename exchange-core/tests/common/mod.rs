//! Shared test fixture: a one-ticker market with helpers to create funded accounts, send
//! commands, and read balances. Every command it sends is followed by a full invariant check,
//! and every rejection by a check that the state hash did not change.

#![allow(dead_code)] // Each test binary uses a different part of the fixture.

use exchange_core::{
    AccountId, AccountKind, Action, Command, Credits, Event, Exchange, NewOrder, OrderRef, Price,
    Quantity, Rejection, Side, Symbol, TickerId,
};

/// An exchange with one open ticker, `MNAD`.
pub struct Market {
    pub exchange: Exchange,
    pub ticker: TickerId,
}

/// One trade, as tests like to compare it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fill {
    pub price: u64,
    pub quantity: u64,
    pub maker: AccountId,
    pub taker: AccountId,
}

impl Market {
    /// A market with ticker `MNAD` and no accounts.
    pub fn new() -> Self {
        let mut exchange = Exchange::new();
        let symbol = Symbol::new("MNAD").unwrap();
        exchange
            .execute(&Command::operator(Action::CreateTicker { symbol }))
            .unwrap();
        let ticker = exchange.state().ticker_by_symbol(&symbol).unwrap();
        Self { exchange, ticker }
    }

    /// Lists another ticker and returns its id.
    pub fn add_ticker(&mut self, symbol: &str) -> TickerId {
        let symbol = Symbol::new(symbol).unwrap();
        self.operator(Action::CreateTicker { symbol }).unwrap();
        self.exchange.state().ticker_by_symbol(&symbol).unwrap()
    }

    /// A standard account with `credits` credits and `shares` shares of the ticker.
    pub fn account(&mut self, credits: u64, shares: u64) -> AccountId {
        self.account_of_kind(AccountKind::Standard, credits, shares)
    }

    /// An account of the given kind with `credits` credits and `shares` shares of the ticker.
    pub fn account_of_kind(&mut self, kind: AccountKind, credits: u64, shares: u64) -> AccountId {
        let events = self.operator(Action::CreateAccount { kind }).unwrap();
        let Event::AccountCreated { account, .. } = events[0] else {
            panic!("{events:?}")
        };
        self.fund(account, credits, shares);
        account
    }

    /// Deposits credits and issues shares of the ticker (zero amounts are skipped).
    pub fn fund(&mut self, account: AccountId, credits: u64, shares: u64) {
        if credits > 0 {
            self.operator(Action::DepositCredits {
                account,
                amount: Credits(credits),
            })
            .unwrap();
        }
        if shares > 0 {
            let (ticker, quantity) = (self.ticker, Quantity(shares));
            self.operator(Action::IssueShares {
                account,
                ticker,
                quantity,
            })
            .unwrap();
        }
    }

    /// Sends a command; checks invariants after success and an unchanged state after rejection.
    pub fn execute(&mut self, command: Command) -> Result<Vec<Event>, Rejection> {
        let before = self.exchange.state().state_hash();
        let result = self.exchange.execute(&command).map(<[Event]>::to_vec);
        match &result {
            Ok(_) => self.exchange.state().check_invariants().unwrap(),
            Err(_) => assert_eq!(
                self.exchange.state().state_hash(),
                before,
                "a rejection changed the state"
            ),
        }
        result
    }

    /// A command by the operator.
    pub fn operator(&mut self, action: Action) -> Result<Vec<Event>, Rejection> {
        self.execute(Command::operator(action))
    }

    /// A command by an account.
    pub fn by(&mut self, account: AccountId, action: Action) -> Result<Vec<Event>, Rejection> {
        self.execute(Command::by(account, action))
    }

    /// Places any order.
    pub fn place(&mut self, account: AccountId, order: NewOrder) -> Result<Vec<Event>, Rejection> {
        self.by(account, Action::PlaceOrder(order))
    }

    /// Places a GTC limit order on the ticker.
    pub fn limit(
        &mut self,
        account: AccountId,
        side: Side,
        price: u64,
        quantity: u64,
    ) -> Result<Vec<Event>, Rejection> {
        self.place(
            account,
            NewOrder::limit(self.ticker, side, Price(price), Quantity(quantity)),
        )
    }

    /// Places a market order on the ticker.
    pub fn market(
        &mut self,
        account: AccountId,
        side: Side,
        quantity: u64,
    ) -> Result<Vec<Event>, Rejection> {
        self.place(
            account,
            NewOrder::market(self.ticker, side, Quantity(quantity)),
        )
    }

    /// Cancels one of an account's orders.
    pub fn cancel(&mut self, account: AccountId, order: OrderRef) -> Result<Vec<Event>, Rejection> {
        self.by(account, Action::CancelOrder { order })
    }

    /// Amends one of an account's orders to a new price and quantity.
    pub fn amend(
        &mut self,
        account: AccountId,
        order: OrderRef,
        price: u64,
        quantity: u64,
    ) -> Result<Vec<Event>, Rejection> {
        let (price, quantity) = (Price(price), Quantity(quantity));
        self.by(
            account,
            Action::AmendOrder {
                order,
                price,
                quantity,
            },
        )
    }

    /// (available, held) credits.
    pub fn credits(&self, account: AccountId) -> (u64, u64) {
        let view = self.exchange.state().account(account).unwrap();
        (view.credits_available.0, view.credits_held.0)
    }

    /// (available, held) shares of the ticker.
    pub fn shares(&self, account: AccountId) -> (u64, u64) {
        let view = self.exchange.state().account(account).unwrap();
        view.positions
            .iter()
            .find(|p| p.ticker == self.ticker)
            .map_or((0, 0), |p| (p.available.0, p.held.0))
    }

    /// (best bid price, best ask price).
    pub fn quote(&self) -> (Option<u64>, Option<u64>) {
        let quote = self.exchange.state().quote(self.ticker).unwrap();
        (quote.bid.map(|l| l.price.0), quote.ask.map(|l| l.price.0))
    }
}

/// The id the engine assigned to the order a placement accepted.
pub fn order_id(events: &[Event]) -> exchange_core::OrderId {
    events
        .iter()
        .find_map(|e| match e {
            Event::OrderAccepted { order, .. } => Some(*order),
            _ => None,
        })
        .expect("an OrderAccepted event")
}

/// The trades among some events.
pub fn fills(events: &[Event]) -> Vec<Fill> {
    events
        .iter()
        .filter_map(|e| match *e {
            Event::Trade {
                price,
                quantity,
                maker_account,
                taker_account,
                ..
            } => Some(Fill {
                price: price.0,
                quantity: quantity.0,
                maker: maker_account,
                taker: taker_account,
            }),
            _ => None,
        })
        .collect()
}

//! Adapter driving `exchange-core` through [`Engine`]: the full engine, not a bare book.
//!
//! Every order belongs to a funded account, so each placement checks and holds funds, each
//! fill settles credits and shares, and each command produces events, exactly as in
//! production. Buys and sells come from disjoint sets of accounts, so self-trade prevention
//! never fires and the stream trades exactly as the reference book does. Accounts are funded
//! generously enough that no order is rejected for funds.

use exchange_core::{
    AccountId, AccountKind, Action, Command, Credits, Event, Exchange, NewOrder, OrderId, OrderRef,
    Price, Quantity, Side as CoreSide, Symbol, TickerId,
};

use crate::engine::Engine;
use crate::workload::{Op, Side};

/// Accounts per side; orders are spread over them by id.
const ACCOUNTS_PER_SIDE: u32 = 64;

/// Credits each buying account starts with: enough for every buy of a workload even if one
/// account placed them all at the highest price (1M orders * 100 shares * ~10,050 credits).
const CREDITS_PER_BUYER: u64 = 1_100_000_000_000;

/// Shares each selling account starts with: enough for every sell of a workload.
const SHARES_PER_SELLER: u64 = 100_000_000;

// All deposits together must stay within the engine's total-credit limit.
const _: () = assert!(
    CREDITS_PER_BUYER as u128 * ACCOUNTS_PER_SIDE as u128
        <= exchange_core::limits::CREDITS_TOTAL_MAX as u128
);

/// `exchange-core` with funded accounts, holds and events.
pub struct ExchangeCoreEngine {
    exchange: Exchange,
    ticker: TickerId,
    buyers: Vec<AccountId>,
    sellers: Vec<AccountId>,
    /// By workload id: the engine's order id and its owner.
    orders: Vec<(OrderId, AccountId)>,
    filled_volume: u64,
}

impl Default for ExchangeCoreEngine {
    fn default() -> Self {
        let mut exchange = Exchange::new();
        let symbol = Symbol::new("W").expect("a valid symbol");
        setup(&mut exchange, Action::CreateTicker { symbol });
        let ticker = exchange
            .state()
            .ticker_by_symbol(&symbol)
            .expect("just listed");
        let mut account = |fund: &dyn Fn(AccountId) -> Action| {
            let id = AccountId(exchange.state().accounts().len() as u32 + 1);
            setup(
                &mut exchange,
                Action::CreateAccount {
                    kind: AccountKind::Standard,
                },
            );
            setup(&mut exchange, fund(id));
            id
        };
        let deposit = |account| Action::DepositCredits {
            account,
            amount: Credits(CREDITS_PER_BUYER),
        };
        let issue = |account| Action::IssueShares {
            account,
            ticker,
            quantity: Quantity(SHARES_PER_SELLER),
        };
        let buyers = (0..ACCOUNTS_PER_SIDE).map(|_| account(&deposit)).collect();
        let sellers = (0..ACCOUNTS_PER_SIDE).map(|_| account(&issue)).collect();
        Self {
            exchange,
            ticker,
            buyers,
            sellers,
            orders: Vec::new(),
            filled_volume: 0,
        }
    }
}

/// Runs a setup command that must succeed.
fn setup(exchange: &mut Exchange, action: Action) {
    if let Err(rejection) = exchange.execute(&Command::operator(action)) {
        panic!("benchmark setup rejected: {rejection}");
    }
}

impl ExchangeCoreEngine {
    /// Executes a workload command that must succeed, counting the shares it trades.
    fn execute(&mut self, command: Command) {
        match self.exchange.execute(&command) {
            Ok(events) => {
                for event in events {
                    if let Event::Trade { quantity, .. } = event {
                        self.filled_volume += quantity.0;
                    }
                }
            }
            Err(rejection) => panic!("workload command rejected: {rejection} ({command:?})"),
        }
    }
}

impl Engine for ExchangeCoreEngine {
    fn name(&self) -> &'static str {
        "exchange-core"
    }

    fn apply(&mut self, op: &Op) {
        match *op {
            Op::Limit {
                id,
                side,
                price,
                qty,
            } => {
                let (accounts, side) = match side {
                    Side::Buy => (&self.buyers, CoreSide::Buy),
                    Side::Sell => (&self.sellers, CoreSide::Sell),
                };
                let account = accounts[(id % u64::from(ACCOUNTS_PER_SIDE)) as usize];
                let index = usize::try_from(id).expect("workload ids fit usize");
                if self.orders.len() <= index {
                    self.orders.resize(index + 1, (OrderId(0), AccountId(0)));
                }
                self.orders[index] = (self.exchange.state().next_order_id(), account);
                let order = NewOrder::limit(self.ticker, side, Price(price), Quantity(qty));
                self.execute(Command::by(account, Action::PlaceOrder(order)));
            }
            Op::Cancel { id } => {
                let (order, account) = self.orders[usize::try_from(id).expect("fits usize")];
                let cancel = Action::CancelOrder {
                    order: OrderRef::Id(order),
                };
                self.execute(Command::by(account, cancel));
            }
        }
    }

    fn filled_volume(&self) -> u64 {
        self.filled_volume
    }
}

//! Adapter driving `exchange-core` through [`Engine`]: the full engine, not a bare book.
//!
//! Every order belongs to a funded account, so each placement checks and holds funds, each
//! fill settles credits and shares, and each command produces events, exactly as in
//! production. Buys and sells come from disjoint sets of accounts, so self-trade prevention
//! never fires and the stream trades exactly as the reference book does. Accounts are funded
//! generously enough that no order is rejected for funds.
//!
//! [`Setup`] and [`Translator`] are public so that other benchmarks (the journaled engine in
//! [`crate::durable`]) run the very same commands: `Setup` lists the tickers and creates the
//! funded accounts, `Translator` turns each workload [`Op`] into an exchange-core [`Command`].

use exchange_core::{
    AccountId, AccountKind, Action, Command, Credits, Exchange, NewOrder, OrderId, OrderRef, Price,
    Quantity, Rejection, Side as CoreSide, Symbol, TickerId,
};

use crate::engine::{id_table_len, Engine};
use crate::workload::{Op, Side};

/// Accounts per side; orders are spread over them by id.
pub(crate) const ACCOUNTS_PER_SIDE: u32 = 64;

/// Credits each buying account starts with: enough for every buy of a workload even if one
/// account placed them all at the highest price (1M orders * 100 shares * ~10,050 credits).
pub(crate) const CREDITS_PER_BUYER: u64 = 1_100_000_000_000;

/// Shares each selling account starts with: enough for every sell of a workload.
pub(crate) const SHARES_PER_SELLER: u64 = 100_000_000;

// All deposits together must stay within the engine's total-credit limit.
const _: () = assert!(
    CREDITS_PER_BUYER as u128 * ACCOUNTS_PER_SIDE as u128
        <= exchange_core::limits::CREDITS_TOTAL_MAX as u128
);

/// `exchange-core` with funded accounts, holds and events.
///
/// [`Engine::prepare`] translates the whole stream into exchange-core commands before the
/// clock starts, like the stream itself was generated beforehand: the engine assigns order
/// ids one after another, so which id each placement will get is known in advance. The
/// timed loop then only executes commands. Without `prepare`, each op is translated as it
/// comes.
pub struct ExchangeCoreEngine {
    exchange: Exchange,
    translator: Translator,
    /// The translated stream, if prepared, and how much of it ran.
    prepared: Vec<Command>,
    executed: usize,
}

impl Default for ExchangeCoreEngine {
    fn default() -> Self {
        let (exchange, setup) = Setup::run(1);
        let translator = Translator::new(&setup, setup.tickers[0]);
        Self {
            exchange,
            translator,
            prepared: Vec::new(),
            executed: 0,
        }
    }
}

/// The tickers and funded accounts a workload runs on, with the commands that created them.
///
/// Buyers hold credits and sellers hold shares of every ticker, each enough for a whole
/// workload per ticker, so no workload order is ever rejected for funds. The ids are those an
/// empty exchange assigns, so replaying [`Setup::commands`] on any empty exchange (or journal)
/// recreates the same tickers and accounts.
#[derive(Clone, Debug)]
pub struct Setup {
    /// The operator commands, in order: list every ticker, then create and fund each buyer,
    /// then create each seller and issue it shares of every ticker.
    pub commands: Vec<Command>,
    /// The listed tickers in listing order; the first has symbol `W`, the others `W2`, `W3`...
    pub tickers: Vec<TickerId>,
    /// The accounts buy orders are spread over.
    pub buyers: Vec<AccountId>,
    /// The accounts sell orders are spread over.
    pub sellers: Vec<AccountId>,
}

impl Setup {
    /// Runs the setup for `tickers` tickers on a fresh exchange, recording its commands, and
    /// returns that exchange with the setup. With one ticker this is exactly the setup the
    /// [`ExchangeCoreEngine`] runs before a workload.
    ///
    /// # Panics
    /// If `tickers` is 0 or a setup command is rejected.
    pub fn run(tickers: u32) -> (Exchange, Setup) {
        assert!(tickers >= 1, "a setup lists at least one ticker");
        let mut exchange = Exchange::new();
        let mut commands = Vec::new();
        let mut record = |exchange: &mut Exchange, action: Action| {
            let command = Command::operator(action);
            setup(exchange, command);
            commands.push(command);
        };
        let tickers: Vec<TickerId> = (1..=tickers)
            .map(|n| {
                let name = if n == 1 {
                    "W".to_owned()
                } else {
                    format!("W{n}")
                };
                let symbol = Symbol::new(&name).expect("a valid symbol");
                record(&mut exchange, Action::CreateTicker { symbol });
                exchange
                    .state()
                    .ticker_by_symbol(&symbol)
                    .expect("just listed")
            })
            .collect();
        let mut account = |exchange: &mut Exchange, fund: &dyn Fn(AccountId) -> Vec<Action>| {
            let id = AccountId(exchange.state().accounts().len() as u32 + 1);
            let kind = AccountKind::Standard;
            record(exchange, Action::CreateAccount { kind });
            fund(id)
                .into_iter()
                .for_each(|action| record(exchange, action));
            id
        };
        let deposit = |account| {
            let amount = Credits(CREDITS_PER_BUYER);
            vec![Action::DepositCredits { account, amount }]
        };
        let issue = |account| {
            let quantity = Quantity(SHARES_PER_SELLER);
            let issue = |&ticker| Action::IssueShares {
                account,
                ticker,
                quantity,
            };
            tickers.iter().map(issue).collect()
        };
        let buyers = (0..ACCOUNTS_PER_SIDE)
            .map(|_| account(&mut exchange, &deposit))
            .collect();
        let sellers = (0..ACCOUNTS_PER_SIDE)
            .map(|_| account(&mut exchange, &issue))
            .collect();
        let setup = Setup {
            commands,
            tickers,
            buyers,
            sellers,
        };
        (exchange, setup)
    }
}

/// Runs a setup command that must succeed.
fn setup(exchange: &mut Exchange, command: Command) {
    if let Err(rejection) = exchange.execute(&command) {
        panic!("benchmark setup rejected: {rejection}");
    }
}

/// Turns a workload's [`Op`]s on one ticker into exchange-core [`Command`]s, remembering
/// which engine order and owner each workload order id became, so cancels name them.
#[derive(Clone, Debug)]
pub struct Translator {
    ticker: TickerId,
    buyers: Vec<AccountId>,
    sellers: Vec<AccountId>,
    /// By workload id: the engine's order id and its owner.
    orders: Vec<(OrderId, AccountId)>,
}

impl Translator {
    /// A translator for orders on `ticker`, spread over the setup's accounts.
    pub fn new(setup: &Setup, ticker: TickerId) -> Self {
        assert!(
            setup.tickers.contains(&ticker),
            "the setup lists the ticker"
        );
        Self {
            ticker,
            buyers: setup.buyers.clone(),
            sellers: setup.sellers.clone(),
            orders: Vec::new(),
        }
    }

    /// Sizes the id table for workload ids below `len`, so that the commands that follow
    /// do not grow it.
    pub fn prepare(&mut self, len: usize) {
        if self.orders.len() < len {
            self.orders.resize(len, (OrderId(0), AccountId(0)));
        }
    }

    /// The command for `op`. `next_order_id` is the id the engine will assign to the next
    /// order it accepts, which the placement in `op` (if it is one) becomes: later cancels of
    /// that workload id name it.
    pub fn command(&mut self, op: &Op, next_order_id: OrderId) -> Command {
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
                self.orders[index] = (next_order_id, account);
                let order = NewOrder::limit(self.ticker, side, Price(price), Quantity(qty));
                Command::by(account, Action::PlaceOrder(order))
            }
            Op::Cancel { id } => {
                let (order, account) = self.orders[usize::try_from(id).expect("fits usize")];
                let cancel = Action::CancelOrder {
                    order: OrderRef::Id(order),
                };
                Command::by(account, cancel)
            }
        }
    }

    /// The commands for a whole stream, translated ahead as a sequencer would receive them:
    /// the engine assigns order ids one after another from `next_order_id` and accepts every
    /// workload order, so which id each placement will get is known in advance.
    pub fn commands(&mut self, ops: &[Op], mut next_order_id: OrderId) -> Vec<Command> {
        self.prepare(id_table_len(ops));
        ops.iter()
            .map(|op| {
                let command = self.command(op, next_order_id);
                if let Op::Limit { .. } = op {
                    next_order_id = OrderId(next_order_id.0 + 1);
                }
                command
            })
            .collect()
    }
}

impl Engine for ExchangeCoreEngine {
    fn name(&self) -> &'static str {
        "exchange-core"
    }

    fn apply(&mut self, op: &Op) {
        let command = match self.prepared.get(self.executed) {
            Some(command) => *command,
            None => {
                let next_order_id = self.exchange.state().next_order_id();
                self.translator.command(op, next_order_id)
            }
        };
        self.executed += 1;
        if let Err(rejection) = self.exchange.execute(&command) {
            rejected(&command, &rejection);
        }
    }

    /// Runs a prepared batch through [`Exchange::execute_all`], which looks ahead in it;
    /// without `prepare`, one command after another.
    fn apply_batch(&mut self, ops: &[Op]) {
        let end = self.executed + ops.len();
        let Some(batch) = self.prepared.get(self.executed..end) else {
            ops.iter().for_each(|op| self.apply(op));
            return;
        };
        self.exchange.execute_all(batch, |command, outcome| {
            if let Err(rejection) = outcome {
                rejected(command, &rejection);
            }
        });
        self.executed = end;
    }

    /// Also reserves room in the engine for every order of the stream to rest
    /// ([`Exchange::reserve_orders`]), as an embedder that knows its peak would.
    fn prepare(&mut self, ops: &[Op]) {
        assert_eq!(self.executed, 0, "prepare comes before the first command");
        let limits = ops.iter().filter(|op| matches!(op, Op::Limit { .. }));
        self.exchange.reserve_orders(limits.count());
        let next_order_id = self.exchange.state().next_order_id();
        self.prepared = self.translator.commands(ops, next_order_id);
    }

    /// The ticker's traded volume, as the engine counts it.
    fn filled_volume(&self) -> u64 {
        let ticker = self.translator.ticker;
        let listed = self.exchange.state().ticker(ticker);
        listed.expect("the workload's ticker is listed").volume.0
    }
}

/// The same engine given one command at a time, as [`Exchange::execute`] runs them: what
/// [`Exchange::execute_all`]'s looking ahead gains shows as the ratio of the two.
#[derive(Default)]
pub struct OneByOne(ExchangeCoreEngine);

impl Engine for OneByOne {
    fn name(&self) -> &'static str {
        "exchange-core-one-by-one"
    }

    fn apply(&mut self, op: &Op) {
        self.0.apply(op);
    }

    fn prepare(&mut self, ops: &[Op]) {
        self.0.prepare(ops);
    }

    fn filled_volume(&self) -> u64 {
        self.0.filled_volume()
    }
}

/// Every workload command is accepted; a rejection means the adapter or the engine is wrong.
fn rejected(command: &Command, rejection: &Rejection) -> ! {
    panic!("workload command rejected: {rejection} ({command:?})");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use exchange_server::server::sequencer::BATCH_COMMANDS_MAX;

    #[test]
    fn replaying_w1_reproduces_the_reference_volume() {
        let workload = testing::w1_seed_42();
        let mut engine = ExchangeCoreEngine::default();
        workload.ops.iter().for_each(|op| engine.apply(op));
        assert_eq!(engine.filled_volume(), workload.filled_volume);
    }

    #[test]
    fn a_prepared_stream_runs_the_same_commands_as_one_translated_on_the_fly() {
        let workload = testing::w1_seed_42();
        let ops = &workload.ops[..50_000];
        let mut prepared = ExchangeCoreEngine::default();
        prepared.prepare(ops);
        let mut on_the_fly = ExchangeCoreEngine::default();
        for op in ops {
            prepared.apply(op);
            on_the_fly.apply(op);
        }
        assert!(prepared.filled_volume() > 0);
        assert_eq!(prepared.filled_volume(), on_the_fly.filled_volume());
        assert_eq!(
            prepared.exchange.state().state_hash(),
            on_the_fly.exchange.state().state_hash()
        );
    }

    #[test]
    fn a_prepared_batch_runs_as_one_command_after_another_does() {
        // Deep enough into W2 for the engine to look ahead in its batches.
        let ops = &testing::w2_seed_42().ops[..300_000];
        let mut batched = ExchangeCoreEngine::default();
        batched.prepare(ops);
        for batch in ops.chunks(BATCH_COMMANDS_MAX) {
            batched.apply_batch(batch);
        }
        let mut one_by_one = OneByOne::default();
        one_by_one.prepare(ops);
        one_by_one.apply_batch(ops);
        let state = batched.exchange.state();
        assert!(
            state.orders_resting() > Exchange::LOOKAHEAD_RESTING_MIN,
            "{}",
            state.orders_resting()
        );
        assert_eq!(batched.filled_volume(), one_by_one.filled_volume());
        assert_eq!(
            state.state_hash(),
            one_by_one.0.exchange.state().state_hash()
        );
    }

    #[test]
    fn a_setup_of_several_tickers_funds_sellers_in_each() {
        let (exchange, setup) = Setup::run(3);
        let (_, single) = Setup::run(1);
        assert_eq!(setup.tickers.len(), 3);
        assert_eq!(
            setup.buyers, single.buyers,
            "the same accounts, in the same order"
        );
        assert_eq!(setup.sellers, single.sellers);
        assert_eq!(setup.commands.len(), 3 + 2 * 64 + 4 * 64);
        let seller = exchange.state().account(setup.sellers[0]).unwrap();
        assert_eq!(seller.positions.len(), 3);
    }
}

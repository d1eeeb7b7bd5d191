//! Tools for tests, simulations and benchmarks (feature `testing`): a seeded random number
//! generator, a virtual clock, a seeded generator of realistic command streams, and direct
//! access to a sled log's database.

use crate::command::{
    AccountKind, Action, AlertDirection, Command, NewOrder, OrderRef, Side, TimeInForce,
};
use crate::ids::{AccountId, TickerId};
use crate::journal::Submission;
#[cfg(feature = "sled")]
use crate::log::{LogError, Record, Seq};
use crate::money::{Credits, Price, Quantity};
use crate::state::State;
use crate::symbol::Symbol;

/// SplitMix64: a tiny, fast, well-known seeded generator. The same seed always gives the same
/// sequence, on every machine.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator starting from `seed`.
    pub const fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        assert!(n > 0, "below(0) has no value");
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }
}

/// A clock that tests and simulations control: every reading is one step later than the last.
#[derive(Clone, Debug)]
pub struct VirtualClock {
    now_ns: u64,
    step_ns: u64,
}

impl VirtualClock {
    /// A clock whose first reading is `start_ns + step_ns`.
    pub const fn new(start_ns: u64, step_ns: u64) -> Self {
        Self {
            now_ns: start_ns,
            step_ns,
        }
    }

    /// Advances the clock one step and returns the new time, in nanoseconds.
    pub fn tick(&mut self) -> u64 {
        self.now_ns += self.step_ns;
        self.now_ns
    }

    /// The command, stamped with the next reading, as a sequencer would submit it.
    pub fn stamp(&mut self, command: Command) -> Submission {
        Submission {
            timestamp_ns: self.tick(),
            command,
        }
    }
}

/// Tickers the generated market lists.
pub const GENERATED_TICKERS: u32 = 2;

/// Accounts the generated market creates: an admin, an orchestrator, then traders.
pub const GENERATED_ACCOUNTS: u32 = 8;

/// A seeded stream of commands for a busy two-ticker market: mostly orders around a
/// price of 100, with cancels, amendments, transfers, alerts, orchestration and some
/// invalid commands, so that every part of the engine is exercised.
#[derive(Clone, Debug)]
pub struct MarketGenerator {
    rng: SplitMix64,
}

impl MarketGenerator {
    /// A generator for `seed`.
    pub const fn new(seed: u64) -> Self {
        Self {
            rng: SplitMix64::new(seed),
        }
    }

    /// The commands that list the tickers and create and fund the accounts. Run them first.
    pub fn setup() -> Vec<Command> {
        let mut commands = Vec::new();
        for symbol in ["ALFA", "BETA"].iter().take(GENERATED_TICKERS as usize) {
            let symbol = Symbol::new(symbol).expect("valid symbols");
            commands.push(Command::operator(Action::CreateTicker { symbol }));
        }
        for id in 1..=GENERATED_ACCOUNTS {
            let kind = match id {
                1 => AccountKind::Admin,
                2 => AccountKind::Orchestrator,
                _ => AccountKind::Standard,
            };
            commands.push(Command::operator(Action::CreateAccount { kind }));
            let account = AccountId(id);
            commands.push(Command::operator(Action::DepositCredits {
                account,
                amount: Credits(1_000_000),
            }));
            for ticker in 1..=GENERATED_TICKERS {
                let quantity = Quantity(10_000);
                let issue = Action::IssueShares {
                    account,
                    ticker: TickerId(ticker),
                    quantity,
                };
                commands.push(Command::operator(issue));
            }
        }
        commands
    }

    /// [`MarketGenerator::setup`], stamped by `clock`, ready to submit as one batch.
    pub fn setup_batch(clock: &mut VirtualClock) -> Vec<Submission> {
        Self::setup()
            .into_iter()
            .map(|command| clock.stamp(command))
            .collect()
    }

    /// `len` generated commands stamped by `clock`. All of them see `state` as it is before
    /// the batch, as clients sending a batch at once would.
    pub fn batch(&mut self, state: &State, len: u64, clock: &mut VirtualClock) -> Vec<Submission> {
        (0..len)
            .map(|_| clock.stamp(self.next_command(state)))
            .collect()
    }

    /// The next command, chosen with the current state in view (to cancel or amend orders
    /// that exist). It may be rejected; that is part of the stream.
    pub fn next_command(&mut self, state: &State) -> Command {
        let trader = AccountId(3 + self.rng.below(u64::from(GENERATED_ACCOUNTS - 2)) as u32);
        let ticker = TickerId(1 + self.rng.below(u64::from(GENERATED_TICKERS)) as u32);
        let roll = self.rng.below(100);
        let action = match roll {
            0..=54 => self.limit_order(ticker),
            55..=64 => self.market_order(ticker),
            65..=79 => return self.cancel_or_amend(state, trader, ticker),
            80..=84 => Action::TransferCredits {
                to: AccountId(1 + self.rng.below(u64::from(GENERATED_ACCOUNTS)) as u32),
                amount: Credits(self.rng.below(500)),
            },
            85..=87 => Action::CancelAllOrders {
                ticker: Some(ticker),
            },
            88..=90 => Action::SetAlert {
                direction: if self.rng.below(2) == 0 {
                    AlertDirection::Below
                } else {
                    AlertDirection::Above
                },
                threshold: Credits(900_000 + self.rng.below(200_000)),
            },
            91..=93 => return self.orchestration(state),
            _ => Action::CancelOrder {
                order: OrderRef::Id(crate::ids::OrderId(self.rng.below(1_000_000))),
            },
        };
        Command::by(trader, action)
    }

    fn side(&mut self) -> Side {
        if self.rng.below(2) == 0 {
            Side::Buy
        } else {
            Side::Sell
        }
    }

    fn limit_order(&mut self, ticker: TickerId) -> Action {
        let side = self.side();
        let offset = self.rng.below(11);
        let price = match side {
            Side::Buy => 95 + offset,
            Side::Sell => 96 + offset,
        };
        let time_in_force = match self.rng.below(20) {
            0 => TimeInForce::Ioc,
            1 => TimeInForce::Fok,
            2 => TimeInForce::PostOnly,
            _ => TimeInForce::Gtc,
        };
        let quantity = Quantity(1 + self.rng.below(20));
        let order =
            NewOrder::limit(ticker, side, Price(price), quantity).with_time_in_force(time_in_force);
        Action::PlaceOrder(order)
    }

    fn market_order(&mut self, ticker: TickerId) -> Action {
        let side = self.side();
        Action::PlaceOrder(NewOrder::market(
            ticker,
            side,
            Quantity(1 + self.rng.below(10)),
        ))
    }

    fn cancel_or_amend(&mut self, state: &State, trader: AccountId, ticker: TickerId) -> Command {
        let open = state.open_orders(trader, Some(ticker));
        if open.is_empty() {
            return Command::by(trader, self.limit_order(ticker));
        }
        let order = open[self.rng.below(open.len() as u64) as usize];
        let target = OrderRef::Id(order.id);
        let action = if self.rng.below(2) == 0 {
            Action::CancelOrder { order: target }
        } else {
            let quantity = Quantity(1 + self.rng.below(order.remaining.0 + 2));
            Action::AmendOrder {
                order: target,
                price: order.price,
                quantity,
            }
        };
        Command::by(trader, action)
    }

    fn orchestration(&mut self, state: &State) -> Command {
        let orchestrator = AccountId(2);
        let action = match self.rng.below(3) {
            0 => Action::CreateOrchestratedAccount {
                initial_credits: Credits(150),
            },
            1 => {
                let accounts = state.accounts();
                let mut orchestrated = accounts
                    .iter()
                    .filter(|a| a.orchestrated_by == Some(orchestrator));
                let last = orchestrated
                    .next_back()
                    .map_or(AccountId(u32::MAX), |a| a.id);
                Action::LiquidateAccount { account: last }
            }
            _ => Action::LiquidateAll,
        };
        Command::by(orchestrator, action)
    }
}

/// Opens the sled database of a [`SledLog`](crate::log::SledLog) directory directly, for
/// tests that read or damage its trees behind the engine's back. Like `SledLog::open`, it
/// waits a moment for sled's threads to release the lock of a handle this process has just
/// dropped, so a test can open the directory right after closing the log.
#[cfg(feature = "sled")]
pub fn open_raw_sled(dir: &std::path::Path) -> Result<::sled::Db, ::sled::Error> {
    crate::log::sled::open_locked(dir)
}

/// Every record of a [`SledLog`](crate::log::SledLog) whose database was opened directly
/// (see [`open_raw_sled`]), read without the engine's checks between records.
#[cfg(feature = "sled")]
pub fn raw_sled_records(db: &::sled::Db) -> Result<Vec<Record>, LogError> {
    crate::log::sled::raw_records(db)
}

/// Changes record `seq` of a [`SledLog`](crate::log::SledLog) whose database was opened
/// directly, in place, for tests that show the audit finds such damage.
#[cfg(feature = "sled")]
pub fn tamper_raw_sled_record(
    db: &::sled::Db,
    seq: Seq,
    change: impl FnOnce(&mut Record),
) -> Result<(), LogError> {
    crate::log::sled::rewrite_raw_record(db, seq, change)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::Exchange;

    #[test]
    fn generated_markets_trade_and_keep_their_invariants() {
        let mut exchange = Exchange::new();
        for command in MarketGenerator::setup() {
            exchange
                .execute(&command)
                .expect("setup commands are valid");
        }
        let mut generator = MarketGenerator::new(7);
        let (mut accepted, mut trades) = (0, 0);
        for _ in 0..3_000 {
            let command = generator.next_command(exchange.state());
            if let Ok(events) = exchange.execute(&command) {
                accepted += 1;
                trades += events
                    .iter()
                    .filter(|e| matches!(e, crate::Event::Trade { .. }))
                    .count();
            }
        }
        exchange.state().check_invariants().unwrap();
        assert!(
            accepted > 1_500,
            "most generated commands are accepted: {accepted}"
        );
        assert!(trades > 300, "generated markets trade: {trades}");
    }

    #[test]
    fn the_same_seed_gives_the_same_stream() {
        let run = |seed| {
            let mut exchange = Exchange::new();
            for command in MarketGenerator::setup() {
                exchange
                    .execute(&command)
                    .expect("setup commands are valid");
            }
            let mut generator = MarketGenerator::new(seed);
            let mut commands = Vec::new();
            for _ in 0..500 {
                let command = generator.next_command(exchange.state());
                let _ = exchange.execute(&command);
                commands.push(command);
            }
            (commands, exchange.state().state_hash())
        };
        assert_eq!(run(3), run(3));
        assert_ne!(run(3).1, run(4).1);
    }
}

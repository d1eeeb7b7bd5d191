//! Who takes part in a simulation: one ticker, and the bots with their accounts and
//! endowments. [`crate::sim::Population`] builds a cast from the real strategies; tests
//! build their own from small test strategies.

use crate::strategy::Strategy;
use exchange_core::{AccountKind, Action, Command, Credits, Quantity, Symbol, TickerId};

/// One bot as it starts: its account's kind, what the operator gives it, and its strategy.
pub struct BotSpec {
    /// The kind of account it trades from (an orchestrator needs
    /// [`AccountKind::Orchestrator`]).
    pub kind: AccountKind,
    /// Credits deposited before the run.
    pub credits: u64,
    /// Shares of the ticker issued to it before the run.
    pub shares: u64,
    /// What it does.
    pub strategy: Box<dyn Strategy>,
}

impl BotSpec {
    /// A standard account with these endowments.
    pub fn standard(credits: u64, shares: u64, strategy: Box<dyn Strategy>) -> Self {
        Self {
            kind: AccountKind::Standard,
            credits,
            shares,
            strategy,
        }
    }
}

/// Makes the strategy of a trader an orchestrator starts with [`crate::Action::StartTrader`].
pub type TraderFactory = Box<dyn Fn() -> Box<dyn Strategy>>;

/// Everything a run starts with.
pub struct Cast {
    /// The one ticker every bot trades.
    pub symbol: Symbol,
    /// The bots, in the order their accounts are created (ids 2, 3, ... after the admin's 1).
    pub bots: Vec<BotSpec>,
    /// The strategy of traders that orchestrators start. Without one, a started trader's
    /// account is created and funded but no bot runs on it.
    pub trader: Option<TraderFactory>,
}

/// The setup's commands, all issued by the operator: list the ticker, create the admin
/// account, then for each bot create its account, deposit its credits and issue its shares.
/// The ticker gets id 1 and the admin account id 1, so bot `i` gets account `i + 2`.
pub(super) fn setup_commands(cast: &Cast) -> Vec<Command> {
    let ticker = TickerId(1);
    let mut commands = vec![
        Command::operator(Action::CreateTicker {
            symbol: cast.symbol,
        }),
        Command::operator(Action::CreateAccount {
            kind: AccountKind::Admin,
        }),
    ];
    for (index, bot) in cast.bots.iter().enumerate() {
        let account = bot_account(index);
        commands.push(Command::operator(Action::CreateAccount { kind: bot.kind }));
        if bot.credits > 0 {
            let amount = Credits(bot.credits);
            commands.push(Command::operator(Action::DepositCredits {
                account,
                amount,
            }));
        }
        if bot.shares > 0 {
            let quantity = Quantity(bot.shares);
            let issue = Action::IssueShares {
                account,
                ticker,
                quantity,
            };
            commands.push(Command::operator(issue));
        }
    }
    commands
}

/// The account the setup creates for the bot at `index` of the cast.
pub(super) fn bot_account(index: usize) -> exchange_core::AccountId {
    let id = u32::try_from(index + 2).expect("a cast fits the engine's account ids");
    exchange_core::AccountId(id)
}

//! Which accounts and tickers a record involves, for filtering the log.
//!
//! Every match below is exhaustive, without a wildcard arm, so a new command or event
//! cannot be added to the core without deciding here whom it involves.

use exchange_core::log::{Entry, Record};
use exchange_core::{AccountId, Action, Actor, Command, Event, TickerId};

/// The account a record's `CreateAccount` or `CreateOrchestratedAccount` command created.
pub fn created_account(record: &Record) -> Option<AccountId> {
    let Entry::Command { events, .. } = &record.entry else {
        return None;
    };
    events.iter().find_map(|event| match *event {
        Event::AccountCreated { account, .. } => Some(account),
        _ => None,
    })
}

/// Whether a record's command was issued by or names `account`, or any of its events
/// involves `account`. Checkpoint records involve no account.
pub fn involves_account(record: &Record, account: AccountId) -> bool {
    match &record.entry {
        Entry::Command { command, events } => {
            command_involves_account(command, account)
                || events.iter().any(|e| event_involves_account(e, account))
        }
        Entry::Checkpoint { .. } => false,
    }
}

/// Whether a record's command or any of its events names `ticker`. Checkpoint records
/// involve no ticker. A ticker's listing is found through its `TickerCreated` event.
pub fn involves_ticker(record: &Record, ticker: TickerId) -> bool {
    match &record.entry {
        Entry::Command { command, events } => {
            action_ticker(&command.action) == Some(ticker)
                || events.iter().any(|e| event_ticker(e) == Some(ticker))
        }
        Entry::Checkpoint { .. } => false,
    }
}

/// Whether the command was issued by `account` or names it as the one to act on.
fn command_involves_account(command: &Command, account: AccountId) -> bool {
    let actor = match command.actor {
        Actor::Account(id) => Some(id),
        Actor::Operator => None,
    };
    actor == Some(account) || action_account(&command.action) == Some(account)
}

/// The account an action names besides its actor, if any.
fn action_account(action: &Action) -> Option<AccountId> {
    match *action {
        Action::DepositCredits { account, .. }
        | Action::IssueShares { account, .. }
        | Action::LiquidateAccount { account } => Some(account),
        Action::TransferCredits { to, .. } => Some(to),
        Action::CreateAccount { .. }
        | Action::CreateTicker { .. }
        | Action::SetTickerStatus { .. }
        | Action::PlaceOrder(_)
        | Action::CancelOrder { .. }
        | Action::CancelAllOrders { .. }
        | Action::AmendOrder { .. }
        | Action::CreateOrchestratedAccount { .. }
        | Action::LiquidateAll
        | Action::SetAlert { .. }
        | Action::ClearAlert { .. } => None,
    }
}

/// Whether an event changes or names `account`.
fn event_involves_account(event: &Event, account: AccountId) -> bool {
    event.accounts().contains(&Some(account))
}

/// The ticker an action names, if any. A listing names its ticker by symbol only; its
/// `TickerCreated` event carries the id.
fn action_ticker(action: &Action) -> Option<TickerId> {
    match *action {
        Action::SetTickerStatus { ticker, .. } | Action::IssueShares { ticker, .. } => Some(ticker),
        Action::PlaceOrder(order) => Some(order.ticker),
        Action::CancelAllOrders { ticker } => ticker,
        Action::CreateAccount { .. }
        | Action::CreateTicker { .. }
        | Action::DepositCredits { .. }
        | Action::TransferCredits { .. }
        | Action::CancelOrder { .. }
        | Action::AmendOrder { .. }
        | Action::CreateOrchestratedAccount { .. }
        | Action::LiquidateAccount { .. }
        | Action::LiquidateAll
        | Action::SetAlert { .. }
        | Action::ClearAlert { .. } => None,
    }
}

/// The ticker an event names, if any.
pub fn event_ticker(event: &Event) -> Option<TickerId> {
    match *event {
        Event::TickerCreated { ticker, .. }
        | Event::TickerStatusChanged { ticker, .. }
        | Event::SharesIssued { ticker, .. }
        | Event::SharesTransferred { ticker, .. }
        | Event::OrderAccepted { ticker, .. }
        | Event::Trade { ticker, .. }
        | Event::OrderRested { ticker, .. }
        | Event::OrderCancelled { ticker, .. }
        | Event::OrderAmended { ticker, .. } => Some(ticker),
        Event::AccountCreated { .. }
        | Event::CreditsDeposited { .. }
        | Event::CreditsTransferred { .. }
        | Event::RemainderCancelled { .. }
        | Event::AccountClosed { .. }
        | Event::AlertSet { .. }
        | Event::AlertCleared { .. }
        | Event::AlertTriggered { .. }
        | Event::AlertRearmed { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use exchange_core::log::Seq;
    use exchange_core::{Credits, NewOrder, Price, Quantity, Side, StateHash, TransferReason};

    fn record(seq: Seq, command: Command, events: Vec<Event>) -> Record {
        Record {
            seq,
            timestamp_ns: seq,
            entry: Entry::Command {
                command,
                events: events.into(),
            },
        }
    }

    #[test]
    fn a_transfer_involves_payer_and_payee_only() {
        let (payer, payee) = (AccountId(3), AccountId(4));
        let amount = Credits(10);
        let transfer = record(
            1,
            Command::by(payer, Action::TransferCredits { to: payee, amount }),
            vec![Event::CreditsTransferred {
                from: payer,
                to: payee,
                amount,
                reason: TransferReason::Payment,
            }],
        );
        assert!(involves_account(&transfer, payer));
        assert!(involves_account(&transfer, payee));
        assert!(!involves_account(&transfer, AccountId(5)));
        assert!(!involves_ticker(&transfer, TickerId(1)));
    }

    #[test]
    fn a_trade_involves_its_maker_and_its_ticker() {
        let (maker, taker, ticker) = (AccountId(3), AccountId(4), TickerId(2));
        let order = NewOrder::market(ticker, Side::Buy, Quantity(1));
        let trade = Event::Trade {
            ticker,
            price: Price(100),
            quantity: Quantity(1),
            maker_order: exchange_core::OrderId(1),
            maker_account: maker,
            taker_order: exchange_core::OrderId(2),
            taker_account: taker,
            taker_side: Side::Buy,
        };
        let placed = record(
            2,
            Command::by(taker, Action::PlaceOrder(order)),
            vec![trade],
        );
        assert!(involves_account(&placed, maker));
        assert!(involves_ticker(&placed, ticker));
        assert!(!involves_ticker(&placed, TickerId(1)));
    }

    #[test]
    fn checkpoints_involve_nothing() {
        let checkpoint = Record {
            seq: 3,
            timestamp_ns: 3,
            entry: Entry::Checkpoint {
                state_hash: StateHash([0; 32]),
            },
        };
        assert!(!involves_account(&checkpoint, AccountId(1)));
        assert!(!involves_ticker(&checkpoint, TickerId(1)));
    }
}

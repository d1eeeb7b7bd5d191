//! [`Inbox`]: inputs wait here until the bot's view is whole, so that a strategy reacting
//! to an input sees the market and balances after it (the strategy contract: "the
//! context's view and portfolio already reflect it"), and never a market that does not
//! yet show its own last orders.
//!
//! The view is fed by two sources that are not in step: the answers to the bot's own
//! commands (at once, for its orders) and the WebSocket (later, for everything, balances
//! and the market included). So inputs are held:
//!
//! 1. while a record's account messages arrive, until the account's `balance` message:
//!    the server sends it after the other messages of a batch's last record that touched
//!    the account (one balance may close several records);
//! 2. while the WebSocket has not yet delivered the last record the bot's own commands
//!    made (its *horizon*): a market maker that has just re-quoted must not react to the
//!    quote of the moment between its cancel and its new orders. The answers' own inputs
//!    (fills, ends, started traders) wait for their record in the same way.
//!
//! Should the view not become whole (a balance that never comes, a dropped connection),
//! the held inputs go after [`HOLD_GRACE`] anyway. Of several quote changes released
//! together only the last is kept: the view shows the latest quote to all of them.

use super::wire::ServerMessage;
use crate::strategy::Input;
use std::collections::VecDeque;
use std::time::Duration;
use tokio::time::Instant;

/// The longest inputs wait for the view to become whole.
pub const HOLD_GRACE: Duration = Duration::from_millis(500);

/// Inputs waiting for the view to catch up.
#[derive(Clone, Debug, Default)]
pub struct Inbox {
    /// Inputs with the record they come from (0: due at once).
    held: VecDeque<(u64, Input)>,
    answered: VecDeque<(u64, Vec<Input>)>,
    horizon: u64,
    awaiting_balance: bool,
    deadline: Option<Instant>,
}

impl Inbox {
    /// Inputs of a message of record `seq` (or of a fresh read at `seq`) just applied to
    /// the view, or of the runner's own events (`seq` 0: a trader that exited).
    pub fn hold(&mut self, seq: u64, inputs: impl IntoIterator<Item = Input>) {
        self.held
            .extend(inputs.into_iter().map(|input| (seq, input)));
    }

    /// Inputs taken but not delivered: they go first next time.
    pub fn requeue(&mut self, inputs: impl DoubleEndedIterator<Item = Input>) {
        for input in inputs.rev() {
            self.held.push_front((0, input));
        }
    }

    /// A message was applied to the view.
    pub fn applied(&mut self, message: &ServerMessage) {
        match message {
            ServerMessage::Balance { .. } => self.awaiting_balance = false,
            ServerMessage::Order { .. }
            | ServerMessage::Fill(_)
            | ServerMessage::Transfer(_)
            | ServerMessage::Alert { .. } => self.awaiting_balance = true,
            ServerMessage::Quote { .. }
            | ServerMessage::Trade { .. }
            | ServerMessage::Subscribed { .. }
            | ServerMessage::Resync { .. }
            | ServerMessage::Error { .. }
            | ServerMessage::Other => {}
        }
    }

    /// The answer to one of the bot's commands made record `seq`; its inputs wait for it.
    pub fn answered(&mut self, seq: u64, inputs: Vec<Input>) {
        self.horizon = self.horizon.max(seq);
        if !inputs.is_empty() {
            self.answered.push_back((seq, inputs));
        }
    }

    /// Whether the view is whole when the WebSocket has delivered records up to `through`.
    pub fn ready(&self, through: u64) -> bool {
        !self.awaiting_balance && through >= self.horizon
    }

    /// No message is waiting: returns whether the held inputs may go; if not, they go at
    /// the latest [`HOLD_GRACE`] from now.
    pub fn settle(&mut self, now: Instant, through: u64) -> bool {
        if self.ready(through) {
            return true;
        }
        self.deadline.get_or_insert(now + HOLD_GRACE);
        false
    }

    /// When the held inputs go even if the view is not whole.
    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// Releases the held inputs and the answers' inputs of records up to `through`, in
    /// the order of their records (keeping only the last quote change). Forgets any
    /// waiting for a balance, for the horizon (when released before it, at the deadline)
    /// or for a deadline.
    pub fn take(&mut self, through: u64) -> Vec<Input> {
        let mut released: Vec<(u64, Input)> = self.held.drain(..).collect();
        while let Some((seq, _)) = self.answered.front() {
            if *seq > through {
                break;
            }
            if let Some((seq, answer)) = self.answered.pop_front() {
                released.extend(answer.into_iter().map(|input| (seq, input)));
            }
        }
        // Stable: inputs of one record keep their order, answers' after the messages'.
        released.sort_by_key(|&(seq, _)| seq);
        let last_quote = released
            .iter()
            .rposition(|&(_, input)| input == Input::Quote);
        let inputs = released
            .into_iter()
            .enumerate()
            .filter(|&(index, (_, input))| input != Input::Quote || Some(index) == last_quote)
            .map(|(_, (_, input))| input)
            .collect();
        self.awaiting_balance = false;
        self.horizon = self.horizon.min(through);
        self.deadline = None;
        inputs
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use exchange_core::AccountId;
    use serde_json::json;

    fn message(value: serde_json::Value) -> ServerMessage {
        serde_json::from_value(value).expect("a server message")
    }

    #[test]
    fn account_inputs_wait_for_the_balance_and_answers_for_their_record() {
        let mut inbox = Inbox::default();
        inbox.answered(12, vec![Input::Tick]);
        let transfer = json!({"type":"transfer","seq":11,"direction":"in","counterparty":2,"amount":5,"reason":"payment"});
        inbox.applied(&message(transfer));
        inbox.hold(
            11,
            [Input::TransferReceived {
                from: AccountId(2),
                amount: 5,
            }],
        );
        let now = Instant::now();
        assert!(!inbox.settle(now, 11), "a transfer waits for its balance");
        assert_eq!(inbox.deadline(), Some(now + HOLD_GRACE));
        let balance = json!({"type":"balance","seq":11,"credits_available":5,"credits_held":0,"positions":[]});
        inbox.applied(&message(balance));
        assert!(!inbox.ready(11), "the bot's own record 12 is not there yet");
        assert!(inbox.ready(12));
        let released = inbox.take(11);
        assert_eq!(released.len(), 1, "the answer of 12 waits: {released:?}");
        assert_eq!(inbox.deadline(), None);
        assert_eq!(inbox.take(12), [Input::Tick]);
    }

    #[test]
    fn inputs_go_in_record_order_with_only_the_last_quote_change() {
        let mut inbox = Inbox::default();
        let trade = Input::Trade {
            price: 30,
            quantity: 1,
        };
        inbox.hold(3, [Input::Quote, trade]);
        inbox.answered(2, vec![Input::Tick]);
        inbox.hold(4, [Input::Quote]);
        inbox.requeue([Input::Start].into_iter());
        assert_eq!(
            inbox.take(4),
            [Input::Start, Input::Tick, trade, Input::Quote]
        );
    }
}

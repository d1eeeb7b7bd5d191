//! Looking ahead in a batch: start fetching what the next commands will read, so that their
//! cache misses overlap with the work of the commands before them.
//!
//! A cancel in a deep book reads memory nothing else has touched lately: the order index
//! entry, then the order it points to, then the order's neighbours in its level and its place
//! in its account's list. Each is a cache miss that depends on the one before, so one command
//! at a time waits for them one after another. [`Exchange::execute_all`] knows the commands
//! that follow and takes one dependent step for each of them per command it runs: the index
//! entry of the cancel [`Step::Index`]'s distance ahead, the order of the one
//! [`Step::Order`]'s distance ahead (its index entry arrived meanwhile), and the neighbours of
//! the one [`Step::Neighbours`]' distance ahead. Before all that, the batch's own memory is
//! fetched [`COMMAND_DISTANCE`] ahead. Looking ahead only reads the state: a command that
//! changes what a later one will touch only makes a hint useless.
//!
//! [`Exchange::execute_all`]: crate::Exchange::execute_all

use crate::command::{Action, Command, OrderRef};
use crate::ids::OrderId;
use crate::state::State;

/// One dependent step of fetching what a command will read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// The order's entry in the order index.
    Index,
    /// The order itself, found through its index entry.
    Order,
    /// The orders next to it in its level and its entry in its account's list.
    Neighbours,
}

/// How far ahead of the running command each step is taken, in commands. Each step needs the
/// one before it to have arrived, and a miss takes about as long as a command or two; on W2,
/// three quarters of these distances and twice them measured the same.
pub(crate) const STEPS: [(usize, Step); 3] =
    [(32, Step::Index), (16, Step::Order), (6, Step::Neighbours)];

/// How far ahead the commands themselves are fetched, in commands: twice the first step's
/// distance, so that a command has arrived by the time that step reads it. The hardware's
/// own prefetching does not keep up with a batch read at four places at once: without this,
/// W2 waited on the batch's memory at the first step for a fifth of its time.
pub(crate) const COMMAND_DISTANCE: usize = 2 * STEPS[0].0;

/// Takes `step` for `command`: starts fetching what it will read, without waiting for it.
pub(crate) fn fetch(state: &State, command: &Command, step: Step) {
    if let Some(id) = order_named(command) {
        state.orders.fetch(id, step, &state.ledger);
    }
}

/// The resting order a command reaches by its id: cancels and amendments.
fn order_named(command: &Command) -> Option<OrderId> {
    match command.action {
        Action::CancelOrder {
            order: OrderRef::Id(id),
        }
        | Action::AmendOrder {
            order: OrderRef::Id(id),
            ..
        } => Some(id),
        _ => None,
    }
}

/// Starts fetching the cache line that holds `value` into every cache level.
#[inline(always)]
pub(crate) fn touch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    safe_arch::prefetch_t0(value);
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}

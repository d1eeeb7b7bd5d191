//! [`Exchange`]: the easy way to run the engine in memory, deciding and applying in one call.

use crate::command::Command;
use crate::decide::decide_into;
use crate::event::Event;
use crate::evolve::evolve;
use crate::lookahead;
use crate::rejection::Rejection;
use crate::state::State;

/// A state plus a reusable event buffer. [`Exchange::execute`] decides a command and applies
/// its events; nothing is persisted (the journaled engine adds the log).
#[derive(Clone, Debug, Default)]
pub struct Exchange {
    state: State,
    events: Vec<Event>,
}

impl Exchange {
    /// [`Exchange::execute_all`] looks ahead only while at least this many orders rest: below
    /// it (4 MiB of orders) the book stays in the caches and the hints cost more than they save.
    pub const LOOKAHEAD_RESTING_MIN: usize = lookahead::RESTING_MIN;

    /// An empty exchange: no accounts, no tickers.
    pub fn new() -> Self {
        Self::default()
    }

    /// An exchange continuing from an existing state.
    pub fn from_state(state: State) -> Self {
        Self {
            state,
            events: Vec::new(),
        }
    }

    /// Decides `command` and applies its events, returning them; or returns why it was
    /// rejected, with the state unchanged.
    pub fn execute(&mut self, command: &Command) -> Result<&[Event], Rejection> {
        self.events.clear();
        decide_into(&self.state, command, &mut self.events)?;
        for event in &self.events {
            evolve(&mut self.state, event);
        }
        Ok(&self.events)
    }

    /// Executes each command of `batch` in order, exactly as [`Exchange::execute`] would one
    /// after another, and hands each item and its outcome to `outcome`.
    ///
    /// While one command runs, the cancels and amendments a few places behind it in the batch
    /// have their orders fetched into the cache, so that in a deep book their cache misses
    /// overlap rather than follow one another (see the `lookahead` module). This only reads
    /// the state, so the events are the same as one by one; only the time differs.
    pub fn execute_all<T: AsRef<Command>>(
        &mut self,
        batch: &[T],
        mut outcome: impl FnMut(&T, Result<&[Event], Rejection>),
    ) {
        for (at, item) in batch.iter().enumerate() {
            if self.state.orders.len() >= Self::LOOKAHEAD_RESTING_MIN {
                for (distance, step) in lookahead::STEPS {
                    if let Some(ahead) = batch.get(at + distance) {
                        lookahead::fetch(&self.state, ahead.as_ref(), step);
                    }
                }
            }
            outcome(item, self.execute(item.as_ref()));
        }
    }

    /// The current state, for read views.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// Gives up the exchange, keeping its state.
    pub fn into_state(self) -> State {
        self.state
    }
}

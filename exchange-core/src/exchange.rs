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
    /// it (4 MiB of orders, this machine's L2 cache per core) the book stays in the caches
    /// and the hints cost more than they save (about 12 ns/command on W1).
    pub const LOOKAHEAD_RESTING_MIN: usize = 65_536;

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
    /// While one command runs, the cancels and amendments further on in the batch
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
                if let Some(ahead) = batch.get(at + lookahead::COMMAND_DISTANCE) {
                    lookahead::touch(ahead.as_ref());
                }
                for (distance, step) in lookahead::STEPS {
                    if let Some(ahead) = batch.get(at + distance) {
                        lookahead::fetch(&self.state, ahead.as_ref(), step);
                    }
                }
            }
            outcome(item, self.execute(item.as_ref()));
        }
    }

    /// Prepares for `additional` more resting orders than rest now: allocates their memory
    /// and has the kernel map it at once. An embedder that knows how deep its books get calls
    /// this before trading starts, so that placing orders never stops to grow the order
    /// storage or to fault in fresh pages. It changes no state: events, views and
    /// [`State::state_hash`] are the same with or without it.
    ///
    /// # Panics
    /// If the orders would not fit the engine's u32 order slots.
    pub fn reserve_orders(&mut self, additional: usize) {
        self.state.orders.reserve(additional);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::MarketGenerator;

    /// Runs the generator's setup and `len` of its commands, keeping every outcome.
    fn run(exchange: &mut Exchange, len: usize) -> Vec<Result<Vec<Event>, Rejection>> {
        let mut generator = MarketGenerator::new(3);
        let mut commands = MarketGenerator::setup();
        let mut outcomes = Vec::new();
        for n in 0..commands.len() + len {
            if n >= commands.len() {
                commands.push(generator.next_command(exchange.state()));
            }
            outcomes.push(exchange.execute(&commands[n]).map(<[Event]>::to_vec));
        }
        outcomes
    }

    #[test]
    fn reserving_orders_makes_room_and_changes_nothing_else() {
        let mut reserved = Exchange::new();
        reserved.reserve_orders(10_000);
        assert!(reserved.state().orders.capacity() >= 10_000);
        let mut plain = Exchange::new();
        let outcomes = run(&mut reserved, 5_000);
        assert_eq!(outcomes, run(&mut plain, 5_000));
        assert!(outcomes.iter().filter(|outcome| outcome.is_ok()).count() > 1_000);
        assert_eq!(reserved.state().state_hash(), plain.state().state_hash());
        reserved.state().check_invariants().unwrap();
    }

    #[test]
    #[should_panic(expected = "limit: an arena of")]
    fn reserving_more_orders_than_slots_can_address_panics_before_allocating() {
        Exchange::new().reserve_orders(u32::MAX as usize);
    }
}

//! The virtual clock's queue: bot timers ordered by (time, sequence), so two timers due at
//! the same millisecond fire in the order they were set.

use super::bot::BotId;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Pending timers.
#[derive(Debug, Default)]
pub(super) struct Timers {
    heap: BinaryHeap<Reverse<(u64, u64, BotId)>>,
    next_seq: u64,
}

impl Timers {
    /// Sets a timer for `bot` at virtual time `at_ms`.
    pub(super) fn set(&mut self, at_ms: u64, bot: BotId) {
        self.heap.push(Reverse((at_ms, self.next_seq, bot)));
        self.next_seq += 1;
    }

    /// The earliest timer due at or before `end_ms`, removed from the queue.
    pub(super) fn pop_due(&mut self, end_ms: u64) -> Option<(u64, BotId)> {
        let Reverse((at_ms, _, _)) = *self.heap.peek()?;
        if at_ms > end_ms {
            return None;
        }
        let Reverse((at_ms, _, bot)) = self.heap.pop().expect("invariant: peeked above");
        Some((at_ms, bot))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timers_fire_by_time_then_by_the_order_they_were_set() {
        let mut timers = Timers::default();
        timers.set(20, BotId(1));
        timers.set(10, BotId(2));
        timers.set(20, BotId(0));
        timers.set(30, BotId(3));
        let fired: Vec<_> = std::iter::from_fn(|| timers.pop_due(25)).collect();
        assert_eq!(fired, [(10, BotId(2)), (20, BotId(1)), (20, BotId(0))]);
        assert_eq!(timers.pop_due(30), Some((30, BotId(3))));
        assert_eq!(timers.pop_due(u64::MAX), None);
    }
}

//! The virtual clock's queue: bot timers ordered by (time, sequence), so two timers due at
//! the same millisecond fire in the order they were set.

use super::bot::BotId;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Bits of a timer's key that hold its bot.
const BOT_BITS: u32 = 32;
/// Bits of a timer's key that hold its sequence number.
const SEQ_BITS: u32 = 52;
/// Bits of a timer's key that hold its time: 2^44 ms is about 557 years, more than a
/// simulation's nanosecond timestamps can reach.
const TIME_BITS: u32 = 128 - SEQ_BITS - BOT_BITS;

/// One pending timer: (time, sequence, bot) packed into one integer, so the heap compares
/// and moves 16 bytes instead of a tuple. The sequence makes every key unique, so the bot
/// never decides the order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Timer(u128);

impl Timer {
    fn new(at_ms: u64, seq: u64, bot: BotId) -> Self {
        assert!(
            at_ms < 1 << TIME_BITS,
            "a timer at {at_ms} ms is out of range"
        );
        assert!(seq < 1 << SEQ_BITS, "timer sequence numbers exhausted");
        let key = u128::from(at_ms) << (SEQ_BITS + BOT_BITS)
            | u128::from(seq) << BOT_BITS
            | u128::from(bot.0);
        Self(key)
    }

    fn at_ms(self) -> u64 {
        (self.0 >> (SEQ_BITS + BOT_BITS)) as u64
    }

    fn bot(self) -> BotId {
        BotId(self.0 as u32)
    }
}

/// Pending timers.
#[derive(Debug, Default)]
pub(super) struct Timers {
    heap: BinaryHeap<Reverse<Timer>>,
    next_seq: u64,
}

impl Timers {
    /// Sets a timer for `bot` at virtual time `at_ms`.
    pub(super) fn set(&mut self, at_ms: u64, bot: BotId) {
        self.heap
            .push(Reverse(Timer::new(at_ms, self.next_seq, bot)));
        self.next_seq += 1;
    }

    /// The earliest timer, if it is due at or before `end_ms`. It stays first in the queue
    /// until [`Timers::reset_first`] or [`Timers::remove_first`], since timers set meanwhile
    /// are later.
    pub(super) fn first_due(&self, end_ms: u64) -> Option<(u64, BotId)> {
        let Reverse(first) = *self.heap.peek()?;
        (first.at_ms() <= end_ms).then_some((first.at_ms(), first.bot()))
    }

    /// Moves the first timer, `bot`'s, to `at_ms`, as a new timer: the same as removing it
    /// and setting another, in one step down the heap instead of two passes.
    pub(super) fn reset_first(&mut self, bot: BotId, at_ms: u64) {
        let mut first = self.heap.peek_mut().expect("a first timer to reset");
        let Reverse(fired) = *first;
        assert_eq!(fired.bot(), bot, "the first timer is the one that fired");
        assert!(at_ms > fired.at_ms(), "a timer moves later");
        *first = Reverse(Timer::new(at_ms, self.next_seq, bot));
        self.next_seq += 1;
    }

    /// Removes the first timer, `bot`'s.
    pub(super) fn remove_first(&mut self, bot: BotId) {
        let Reverse(fired) = self.heap.pop().expect("a first timer to remove");
        assert_eq!(fired.bot(), bot, "the first timer is the one that fired");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fires and removes every timer due by `end_ms`, in order.
    fn fire(timers: &mut Timers, end_ms: u64) -> Vec<(u64, BotId)> {
        let mut fired = Vec::new();
        while let Some((at_ms, bot)) = timers.first_due(end_ms) {
            fired.push((at_ms, bot));
            timers.remove_first(bot);
        }
        fired
    }

    #[test]
    fn timers_fire_by_time_then_by_the_order_they_were_set() {
        let mut timers = Timers::default();
        timers.set(20, BotId(1));
        timers.set(10, BotId(2));
        timers.set(20, BotId(0));
        timers.set(30, BotId(3));
        let fired = fire(&mut timers, 25);
        assert_eq!(fired, [(10, BotId(2)), (20, BotId(1)), (20, BotId(0))]);
        assert_eq!(timers.first_due(30), Some((30, BotId(3))));
        timers.remove_first(BotId(3));
        assert_eq!(timers.first_due(u64::MAX), None);
    }

    #[test]
    fn a_reset_timer_goes_after_those_set_before_it_for_the_same_time() {
        let mut timers = Timers::default();
        timers.set(10, BotId(0));
        timers.set(20, BotId(1));
        assert_eq!(timers.first_due(10), Some((10, BotId(0))));
        timers.set(20, BotId(2));
        timers.reset_first(BotId(0), 20);
        let fired = fire(&mut timers, u64::MAX);
        assert_eq!(fired, [(20, BotId(1)), (20, BotId(2)), (20, BotId(0))]);
    }

    #[test]
    fn times_and_bots_at_the_ends_of_their_ranges_keep_their_order() {
        let last_ms = (1 << TIME_BITS) - 1;
        let mut timers = Timers::default();
        timers.set(last_ms, BotId(0));
        timers.set(last_ms - 1, BotId(u32::MAX));
        timers.set(last_ms, BotId(u32::MAX - 1));
        let fired = fire(&mut timers, u64::MAX);
        let expected = [
            (last_ms - 1, BotId(u32::MAX)),
            (last_ms, BotId(0)),
            (last_ms, BotId(u32::MAX - 1)),
        ];
        assert_eq!(fired, expected);
    }

    #[test]
    #[should_panic(expected = "out of range")]
    fn a_timer_beyond_its_time_field_is_refused() {
        Timers::default().set(1 << TIME_BITS, BotId(0));
    }

    #[test]
    #[should_panic(expected = "the first timer is the one that fired")]
    fn only_the_first_timer_is_reset() {
        let mut timers = Timers::default();
        timers.set(10, BotId(0));
        timers.set(20, BotId(1));
        timers.reset_first(BotId(1), 30);
    }
}

//! A workload as journal [`Submission`]s: the setup commands, then the workload's ops on
//! each ticker in turn, each with an increasing timestamp.

use exchange_core::{Command, OrderId, Submission};

use crate::peers::exchange_core::{Setup, Translator};
use crate::workload::{Op, Workload};

/// Timestamp of the first submission, in nanoseconds since the Unix epoch
/// (2026-01-01T00:00:00Z). Fixed, not read from a clock, so every run logs the same records.
pub const EPOCH_NS: u64 = 1_767_225_600_000_000_000;

/// Nanoseconds between the timestamps of consecutive submissions.
pub const TIMESTAMP_STEP_NS: u64 = 1_000;

/// Hands out increasing timestamps.
#[derive(Clone, Copy, Debug)]
struct Clock {
    next_ns: u64,
}

impl Clock {
    /// Stamps `command` with the next timestamp.
    fn stamp(&mut self, command: Command) -> Submission {
        let timestamp_ns = self.next_ns;
        self.next_ns += TIMESTAMP_STEP_NS;
        Submission {
            timestamp_ns,
            command,
        }
    }
}

/// The setup submissions (to run first, untimed) and the workload's commands on `tickers`
/// tickers: every op of `workload` on the first ticker, then all again on the second, and
/// so on. Each ticker's book starts empty, so every repetition trades exactly as the
/// workload does, and every command is accepted.
pub fn submissions(workload: &Workload, tickers: u32) -> (Vec<Submission>, Commands<'_>) {
    let (exchange, setup) = Setup::run(tickers);
    let mut clock = Clock { next_ns: EPOCH_NS };
    let setup_submissions = setup.commands.iter().map(|&c| clock.stamp(c)).collect();
    let commands = Commands {
        ops: &workload.ops,
        translator: Translator::new(&setup, setup.tickers[0]),
        setup,
        ticker_at: 0,
        op_at: 0,
        next_order_id: exchange.state().next_order_id(),
        clock,
    };
    (setup_submissions, commands)
}

/// The workload's commands, generated as they are consumed (ten million of them would
/// take gigabytes if collected).
///
/// Order ids are predicted: the engine assigns the next id to every accepted placement, and
/// every workload command is accepted, so the n-th placement gets the n-th id after setup.
/// A wrong prediction would make a cancel name another account's order and be rejected,
/// which the benchmarks treat as fatal.
#[derive(Clone, Debug)]
pub struct Commands<'a> {
    ops: &'a [Op],
    setup: Setup,
    translator: Translator,
    /// Index in `setup.tickers` of the ticker being traded.
    ticker_at: usize,
    /// Index in `ops` of the next op.
    op_at: usize,
    next_order_id: OrderId,
    clock: Clock,
}

impl Iterator for Commands<'_> {
    type Item = Submission;

    fn next(&mut self) -> Option<Submission> {
        if self.op_at == self.ops.len() {
            if self.ticker_at + 1 == self.setup.tickers.len() {
                return None;
            }
            self.ticker_at += 1;
            self.op_at = 0;
            let ticker = self.setup.tickers[self.ticker_at];
            self.translator = Translator::new(&self.setup, ticker);
        }
        let op = &self.ops[self.op_at];
        self.op_at += 1;
        let command = self.translator.command(op, self.next_order_id);
        if let Op::Limit { .. } = op {
            self.next_order_id = OrderId(self.next_order_id.0 + 1);
        }
        Some(self.clock.stamp(command))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let tickers_after = self.setup.tickers.len() - 1 - self.ticker_at;
        let left = self.ops.len() - self.op_at + tickers_after * self.ops.len();
        (left, Some(left))
    }
}

impl ExactSizeIterator for Commands<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::w1_seed_42;
    use exchange_core::Exchange;

    #[test]
    fn every_command_is_accepted_and_timestamps_increase() {
        let workload = w1_seed_42();
        let short = Workload {
            ops: workload.ops[..2_000].to_vec(),
            ..workload.clone()
        };
        let (setup, commands) = submissions(&short, 2);
        assert_eq!(commands.len(), 4_000);
        let mut exchange = Exchange::new();
        let mut last_ns = 0;
        for submission in setup.into_iter().chain(commands) {
            assert!(submission.timestamp_ns > last_ns);
            last_ns = submission.timestamp_ns;
            let executed = exchange.execute(&submission.command);
            assert!(executed.is_ok(), "{submission:?}: {executed:?}");
        }
        let tickers = exchange.state().tickers();
        assert_eq!(tickers.len(), 2);
        assert_eq!(tickers[0].volume, tickers[1].volume);
        assert!(tickers[0].volume.0 > 0);
    }
}

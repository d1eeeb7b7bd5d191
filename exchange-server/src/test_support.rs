//! Logs for unit tests: a seeded market run through a journal on an in-memory log.

use exchange_core::log::MemoryLog;
use exchange_core::testing::{MarketGenerator, VirtualClock};
use exchange_core::{Journal, JournalConfig};

/// Checkpoints every 50 records and snapshots every 100, keeping 3.
pub const CONFIG: JournalConfig = JournalConfig {
    snapshot_every: 100,
    checkpoint_every: 50,
    snapshots_kept: 3,
};

/// The generator's setup and then `commands` generated commands, in batches of 10.
pub fn generated(seed: u64, commands: u64) -> Journal<MemoryLog> {
    let (mut journal, _) = Journal::open(MemoryLog::new(), CONFIG).unwrap();
    let mut clock = VirtualClock::new(0, 1_000);
    journal
        .submit(&MarketGenerator::setup_batch(&mut clock))
        .unwrap();
    let mut generator = MarketGenerator::new(seed);
    for _ in 0..commands / 10 {
        let batch = generator.batch(journal.state(), 10, &mut clock);
        journal.submit(&batch).unwrap();
    }
    journal
}

/// A copy of `log`'s records with `change` applied to each, and no snapshots.
pub fn rewritten(
    log: &MemoryLog,
    mut change: impl FnMut(&mut exchange_core::log::Record),
) -> MemoryLog {
    use exchange_core::log::EventLog;
    let mut records = log.records().to_vec();
    records.iter_mut().for_each(&mut change);
    let mut copy = MemoryLog::new();
    copy.append(&records).unwrap();
    copy
}

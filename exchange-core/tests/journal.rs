//! The journaled engine on the in-memory and sled logs: group commit, reopening, snapshots,
//! checkpoints, and recovery from damaged snapshots and unknown formats.

use exchange_core::log::{EventLog, LogError, MemoryLog, SledLog, SLED_LAYOUT_VERSION};
use exchange_core::{
    AccountId, AccountKind, Action, Command, Credits, Journal, JournalConfig, JournalError,
    NewOrder, Price, Quantity, Rejection, Side, Submission, Symbol, TickerId,
};

/// The log's sled database opened directly, as damage from outside the engine would be.
fn raw_sled(dir: &std::path::Path) -> sled::Db {
    exchange_core::testing::open_raw_sled(dir).unwrap()
}

fn at(timestamp_ns: u64, command: Command) -> Submission {
    Submission {
        timestamp_ns,
        command,
    }
}

/// A market with two funded accounts and some resting and traded orders, as submissions.
fn market_batch() -> Vec<Submission> {
    let ticker = TickerId(1);
    let (seller, buyer) = (AccountId(1), AccountId(2));
    let symbol = Symbol::new("MNAD").unwrap();
    let create = Command::operator(Action::CreateAccount {
        kind: AccountKind::Standard,
    });
    let mut batch = vec![
        at(1, Command::operator(Action::CreateTicker { symbol })),
        at(2, create),
        at(3, create),
        at(
            4,
            Command::operator(Action::IssueShares {
                account: seller,
                ticker,
                quantity: Quantity(50),
            }),
        ),
        at(
            5,
            Command::operator(Action::DepositCredits {
                account: buyer,
                amount: Credits(10_000),
            }),
        ),
    ];
    for i in 0..20u64 {
        let ask = NewOrder::limit(ticker, Side::Sell, Price(100 + i % 5), Quantity(2));
        batch.push(at(10 + 2 * i, Command::by(seller, Action::PlaceOrder(ask))));
        let bid = NewOrder::limit(ticker, Side::Buy, Price(99 + i % 4), Quantity(1));
        batch.push(at(11 + 2 * i, Command::by(buyer, Action::PlaceOrder(bid))));
    }
    batch
}

#[test]
fn outcomes_follow_submissions_and_rejections_are_not_logged() {
    let (mut journal, _) = Journal::open(MemoryLog::new(), JournalConfig::default()).unwrap();
    let bad = at(
        1,
        Command::by(AccountId(9), Action::CancelAllOrders { ticker: None }),
    );
    let mut batch = market_batch();
    batch.insert(3, bad);
    let outcomes = journal.submit(&batch).unwrap();
    assert_eq!(outcomes.len(), batch.len());
    assert_eq!(outcomes[3], Err(Rejection::UnknownAccount(AccountId(9))));
    let seqs: Vec<u64> = outcomes
        .iter()
        .filter_map(|o| o.as_ref().ok())
        .map(|r| r.seq)
        .collect();
    assert_eq!(seqs, (1..=batch.len() as u64 - 1).collect::<Vec<_>>());
    assert_eq!(journal.log().records().len(), batch.len() - 1);
    assert_eq!(
        journal.log().records()[4].timestamp_ns,
        batch[5].timestamp_ns
    );
}

#[test]
fn reopening_replays_to_the_same_state() {
    let config = JournalConfig {
        snapshot_every: 0,
        checkpoint_every: 7,
        snapshots_kept: 2,
    };
    let (mut journal, _) = Journal::open(MemoryLog::new(), config).unwrap();
    journal.submit(&market_batch()).unwrap();
    let hash = journal.state().state_hash();
    let log = journal.log().clone();
    let (reopened, recovery) = Journal::open(log, config).unwrap();
    assert_eq!(reopened.state().state_hash(), hash);
    assert_eq!(recovery.snapshot, None);
    assert_eq!(recovery.replayed, reopened.last_seq());
    assert_eq!(reopened.last_seq(), journal.last_seq());
}

#[test]
fn sled_log_survives_reopening_with_snapshots_and_checkpoints() {
    let dir = tempfile::tempdir().unwrap();
    let config = JournalConfig {
        snapshot_every: 10,
        checkpoint_every: 4,
        snapshots_kept: 2,
    };
    let batch = market_batch();
    let hash = {
        let (mut journal, _) = Journal::open(SledLog::open(dir.path()).unwrap(), config).unwrap();
        for chunk in batch.chunks(6) {
            journal.submit(chunk).unwrap();
        }
        assert_eq!(journal.log().snapshot_seqs().unwrap().len(), 2);
        journal.state().state_hash()
    };
    let (journal, recovery) = Journal::open_dir(dir.path(), config).unwrap();
    assert_eq!(journal.state().state_hash(), hash);
    assert!(recovery.snapshot.is_some());
    assert!(recovery.refused_snapshots.is_empty());
    journal.state().check_invariants().unwrap();
}

#[test]
fn damaged_newest_snapshot_falls_back_to_an_older_one() {
    let dir = tempfile::tempdir().unwrap();
    let config = JournalConfig {
        snapshot_every: 10,
        checkpoint_every: 0,
        snapshots_kept: 3,
    };
    let hash = {
        let (mut journal, _) = Journal::open(SledLog::open(dir.path()).unwrap(), config).unwrap();
        for chunk in market_batch().chunks(5) {
            journal.submit(chunk).unwrap();
        }
        journal.state().state_hash()
    };
    let newest = {
        let db = raw_sled(dir.path());
        let snapshots = db.open_tree("snapshots").unwrap();
        let (key, value) = snapshots.last().unwrap().unwrap();
        let mut damaged = value.to_vec();
        let middle = damaged.len() / 2;
        damaged[middle] ^= 0xFF;
        snapshots.insert(key.clone(), damaged).unwrap();
        db.flush().unwrap();
        u64::from_be_bytes(key.as_ref().try_into().unwrap())
    };
    let (journal, recovery) = Journal::open(SledLog::open(dir.path()).unwrap(), config).unwrap();
    assert_eq!(journal.state().state_hash(), hash);
    assert_eq!(recovery.refused_snapshots.len(), 1);
    assert_eq!(recovery.refused_snapshots[0].0, newest);
    assert!(recovery.snapshot.unwrap() < newest);
}

#[test]
fn unknown_format_version_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    {
        let (mut journal, _) =
            Journal::open(SledLog::open(dir.path()).unwrap(), JournalConfig::default()).unwrap();
        journal.submit(&market_batch()).unwrap();
    }
    let records_before = {
        let db = raw_sled(dir.path());
        db.open_tree("meta")
            .unwrap()
            .insert("format_version", &(SLED_LAYOUT_VERSION + 1).to_le_bytes())
            .unwrap();
        db.flush().unwrap();
        db.open_tree("records").unwrap().len()
    };
    match SledLog::open(dir.path()) {
        Err(LogError::UnknownVersion { found, supported }) => {
            assert_eq!(
                (found, supported),
                (SLED_LAYOUT_VERSION + 1, SLED_LAYOUT_VERSION)
            );
        }
        Err(other) => panic!("expected UnknownVersion, got {other}"),
        Ok(_) => panic!("a log of an unknown version was opened"),
    }
    let db = raw_sled(dir.path());
    assert_eq!(db.open_tree("records").unwrap().len(), records_before);
    let stored = db
        .open_tree("meta")
        .unwrap()
        .get("format_version")
        .unwrap()
        .unwrap();
    assert_eq!(stored.as_ref(), &(SLED_LAYOUT_VERSION + 1).to_le_bytes());
}

#[test]
fn a_tampered_checkpoint_stops_recovery_at_its_record() {
    let config = JournalConfig {
        snapshot_every: 0,
        checkpoint_every: 5,
        snapshots_kept: 1,
    };
    let (mut journal, _) = Journal::open(MemoryLog::new(), config).unwrap();
    journal.submit(&market_batch()[..12]).unwrap();
    journal.submit(&market_batch()[12..]).unwrap();
    let mut records = journal.log().records().to_vec();
    let checkpoint = records
        .iter_mut()
        .find(|r| matches!(r.entry, exchange_core::log::Entry::Checkpoint { .. }))
        .unwrap();
    let seq = checkpoint.seq;
    checkpoint.entry = exchange_core::log::Entry::Checkpoint {
        state_hash: exchange_core::StateHash([7; 32]),
    };
    let mut tampered = MemoryLog::new();
    tampered.append(&records).unwrap();
    match Journal::open(tampered, config) {
        Err(JournalError::CheckpointMismatch { seq: found }) => assert_eq!(found, seq),
        other => panic!(
            "expected a checkpoint mismatch, got {:?}",
            other.map(|(j, _)| j.last_seq())
        ),
    }
}

#[test]
fn out_of_order_appends_are_refused() {
    let (mut journal, _) = Journal::open(MemoryLog::new(), JournalConfig::default()).unwrap();
    journal.submit(&market_batch()[..3]).unwrap();
    let mut log = journal.log().clone();
    let mut record = log.records()[0].clone();
    record.seq = 7;
    match log.append(&[record]) {
        Err(LogError::OutOfOrder { expected, found }) => assert_eq!((expected, found), (4, 7)),
        other => panic!("expected OutOfOrder, got {other:?}"),
    }
}

#[test]
fn timestamps_never_go_backwards_even_across_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let create = Command::operator(Action::CreateAccount {
        kind: AccountKind::Standard,
    });
    let stamps = |journal: &Journal<SledLog>| -> Vec<u64> {
        let records = journal.log().read_from(1).map(Result::unwrap);
        records.map(|record| record.timestamp_ns).collect()
    };
    let config = JournalConfig::default();
    let (mut journal, _) = Journal::open(SledLog::open(dir.path()).unwrap(), config).unwrap();
    // The clock steps back in the middle of a batch.
    let outcomes = journal
        .submit(&[at(100, create), at(50, create), at(120, create)])
        .unwrap();
    let stamped: Vec<u64> = outcomes
        .iter()
        .map(|outcome| outcome.as_ref().unwrap().timestamp_ns)
        .collect();
    assert_eq!(stamped, [100, 100, 120], "what the caller is told");
    assert_eq!(stamps(&journal), [100, 100, 120], "what the log holds");
    drop(journal);

    // After a restart with a clock that is behind.
    let (mut journal, _) = Journal::open(SledLog::open(dir.path()).unwrap(), config).unwrap();
    journal.submit(&[at(7, create), at(130, create)]).unwrap();
    assert_eq!(stamps(&journal), [100, 100, 120, 120, 130]);
}

/// A memory log whose snapshots cannot be written.
struct NoSnapshots(MemoryLog);

impl EventLog for NoSnapshots {
    fn append(&mut self, records: &[exchange_core::log::Record]) -> Result<(), LogError> {
        self.0.append(records)
    }

    fn sync(&mut self) -> Result<(), LogError> {
        self.0.sync()
    }

    fn last_seq(&self) -> u64 {
        self.0.last_seq()
    }

    fn read_from(
        &self,
        from: u64,
    ) -> Box<dyn Iterator<Item = Result<exchange_core::log::Record, LogError>> + '_> {
        self.0.read_from(from)
    }

    fn write_snapshot(&mut self, _: &exchange_core::log::Snapshot) -> Result<(), LogError> {
        Err(LogError::Storage("the disk is full".into()))
    }

    fn snapshot_seqs(&self) -> Result<Vec<u64>, LogError> {
        self.0.snapshot_seqs()
    }

    fn read_snapshot(&self, seq: u64) -> Result<exchange_core::log::Snapshot, LogError> {
        self.0.read_snapshot(seq)
    }

    fn delete_snapshot(&mut self, seq: u64) -> Result<(), LogError> {
        self.0.delete_snapshot(seq)
    }
}

#[test]
fn a_failed_snapshot_fails_no_batch_and_is_reported_once() {
    let config = JournalConfig {
        snapshot_every: 3,
        checkpoint_every: 0,
        snapshots_kept: 1,
    };
    let (mut journal, _) = Journal::open(NoSnapshots(MemoryLog::new()), config).unwrap();
    let create = Command::operator(Action::CreateAccount {
        kind: AccountKind::Standard,
    });
    let outcomes = journal
        .submit(&[at(1, create), at(2, create), at(3, create)])
        .expect("the batch is durable, so it stands");
    assert!(outcomes.iter().all(Result::is_ok));
    assert_eq!(journal.log().last_seq(), 3);
    match journal.take_snapshot_failure() {
        Some(JournalError::Log(LogError::Storage(message))) => {
            assert_eq!(message.to_string(), "the disk is full")
        }
        other => panic!("expected the snapshot failure, got {other:?}"),
    }
    assert!(journal.take_snapshot_failure().is_none(), "taken once");

    // The next batch is not due a snapshot again at once, and goes through.
    assert!(journal.submit(&[at(4, create)]).unwrap()[0].is_ok());
    assert!(journal.take_snapshot_failure().is_none());
    assert_eq!(journal.state().accounts().len(), 4);
}

#[test]
fn keeping_no_snapshots_is_refused_before_the_log_is_read() {
    let config = JournalConfig {
        snapshots_kept: 0,
        ..JournalConfig::default()
    };
    let refused = Journal::open(MemoryLog::new(), config);
    assert!(matches!(
        refused,
        Err(JournalError::InvalidConfig(message)) if message.contains("snapshots_kept")
    ));
}

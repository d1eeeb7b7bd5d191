//! Why a simulation could not run or write its output.

use exchange_core::log::{LogError, Seq};
use exchange_core::{InvariantViolation, JournalError, Rejection};

/// A failed simulation.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The journal failed (its log could not be written).
    #[error(transparent)]
    Journal(#[from] JournalError),
    /// A log could not be read or written.
    #[error(transparent)]
    Log(#[from] LogError),
    /// A simulation starts on an empty journal, since it lists its own ticker and accounts.
    #[error("the journal already holds {0} records; a simulation needs an empty one")]
    JournalNotEmpty(Seq),
    /// The engine refused one of the setup's commands (a population too large for the
    /// engine's limits, say).
    #[error("setup command {index} was rejected: {rejection}")]
    Setup {
        /// Its position in the setup.
        index: usize,
        /// Why.
        rejection: Rejection,
    },
    /// The state broke an invariant after a command ([`crate::sim::Checks::EveryCommand`]).
    #[error("after record {seq}: {violation}")]
    Invariant {
        /// The last record applied.
        seq: Seq,
        /// What broke.
        violation: InvariantViolation,
    },
    /// Strategies kept answering each other without virtual time moving on.
    #[error(
        "more than {deliveries} inputs at virtual time {at_ms} ms: strategies are feeding back"
    )]
    Livelock {
        /// The virtual time.
        at_ms: u64,
        /// How many inputs were delivered at it.
        deliveries: u64,
    },
    /// Writing an output file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The error.
        #[source]
        source: std::io::Error,
    },
    /// Drawing a chart failed.
    #[error("chart {path}: {message}")]
    Chart {
        /// The file.
        path: String,
        /// What went wrong.
        message: String,
    },
}

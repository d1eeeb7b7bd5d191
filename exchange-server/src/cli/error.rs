//! Why a subcommand could not do what was asked. Every one of these exits with status 2,
//! except a broken pipe on stdout, which is how a reader such as `head` says it has
//! enough: that is a success.

use exchange_core::log::{LogError, Seq};
use exchange_core::{AccountId, JournalError, Symbol};
use std::io;

/// A subcommand's error.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The log could not be opened or read.
    #[error(transparent)]
    Log(#[from] LogError),
    /// The log could not be replayed (a checkpoint disagrees, a record is unreadable) or
    /// the journal could not open or write.
    #[error(transparent)]
    Journal(#[from] JournalError),
    /// The server could not start.
    #[error(transparent)]
    Serve(#[from] crate::server::ServeError),
    /// The auth store failed or refused a value.
    #[error(transparent)]
    Auth(#[from] crate::auth::AuthError),
    /// The engine refused a command.
    #[error("refused: {0}")]
    Refused(#[from] exchange_core::Rejection),
    /// Writing the results failed.
    #[error("cannot write the output: {0}")]
    Output(#[from] io::Error),
    /// Results could not be encoded as JSON.
    #[error("cannot encode JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A sequence number past the log's end was asked for.
    #[error("record {seq} is past the log's last record {last}")]
    PastEnd {
        /// The sequence number asked for.
        seq: Seq,
        /// The log's last record.
        last: Seq,
    },
    /// A range whose start is after its end.
    #[error("no records from record {from} to record {to} (records are numbered from 1)")]
    EmptyRange {
        /// The first record asked for.
        from: Seq,
        /// The last record asked for.
        to: Seq,
    },
    /// The account does not exist in the state asked about.
    #[error("no account {account} in the state after record {seq}")]
    UnknownAccount {
        /// The account asked for.
        account: AccountId,
        /// The state's last record.
        seq: Seq,
    },
    /// No ticker is listed under the symbol in the state asked about.
    #[error("no ticker {symbol} in the state after record {seq}")]
    UnknownTicker {
        /// The symbol asked for.
        symbol: Symbol,
        /// The state's last record.
        seq: Seq,
    },
}

impl CliError {
    /// Whether the error is stdout's reader having gone away: not a failure.
    pub fn is_broken_pipe(&self) -> bool {
        match self {
            CliError::Output(error) => error.kind() == io::ErrorKind::BrokenPipe,
            CliError::Json(error) => error.io_error_kind() == Some(io::ErrorKind::BrokenPipe),
            CliError::Log(_)
            | CliError::Journal(_)
            | CliError::PastEnd { .. }
            | CliError::EmptyRange { .. }
            | CliError::UnknownAccount { .. }
            | CliError::UnknownTicker { .. }
            | CliError::Serve(_)
            | CliError::Auth(_)
            | CliError::Refused(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_broken_pipe_is_quiet() {
        let broken = CliError::Output(io::Error::from(io::ErrorKind::BrokenPipe));
        assert!(broken.is_broken_pipe());
        let full = CliError::Output(io::Error::from(io::ErrorKind::StorageFull));
        assert!(!full.is_broken_pipe());
        let json = serde_json::to_writer(BrokenPipe, &1).unwrap_err();
        assert!(CliError::from(json).is_broken_pipe());
    }

    /// A writer whose reader has gone.
    struct BrokenPipe;

    impl io::Write for BrokenPipe {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
}

//! What the log stores: records and snapshots, each in a versioned envelope.
//!
//! Every stored record and snapshot is `[format version: u16 little-endian][postcard body]`
//! (the sled log stores several records one after another in one value). A reader
//! refuses a version it does not know, with [`LogError::UnknownVersion`], rather than
//! guessing. Enums in the body only ever gain variants at the end, which postcard encodes
//! compatibly, so a new version is needed only for a change older readers cannot skip.

use super::LogError;
use crate::command::Command;
use crate::event::Event;
use crate::image::{StateHash, StateImage};
use crate::state::State;
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use std::sync::Arc;

/// The format this build writes and the only one it reads.
pub const FORMAT_VERSION: u16 = 1;

/// A record's position in the log: 1 for the first record, then one more per record.
pub type Seq = u64;

/// One entry of the log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// Its position.
    pub seq: Seq,
    /// When the sequencer accepted it, in nanoseconds since the Unix epoch. The engine never
    /// reads it; it is part of the record for auditors and market data.
    pub timestamp_ns: u64,
    /// What happened.
    pub entry: Entry,
}

/// The content of a record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Entry {
    /// An accepted command and the events it produced. Rejected commands are not logged.
    Command {
        /// The command as submitted.
        command: Command,
        /// Its events, in order. Shared, so that the log, the caller and market data can
        /// each keep the record without copying its events.
        events: Arc<[Event]>,
    },
    /// The hash of the whole state after every record before this one, so an audit can
    /// prove that its replay agrees with the engine that wrote the log.
    Checkpoint {
        /// [`State::state_hash`] at this point.
        state_hash: StateHash,
    },
}

/// The state after a given record, with its hash, so a restart replays only what follows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The last record the state includes (0 for the empty state).
    pub seq: Seq,
    /// [`State::state_hash`] of the state; checked on load.
    pub state_hash: StateHash,
    /// The state itself.
    pub image: StateImage,
}

impl Snapshot {
    /// The snapshot of `state` after record `seq`.
    pub fn of(state: &State, seq: Seq) -> Self {
        Self {
            seq,
            state_hash: state.state_hash(),
            image: state.image(),
        }
    }

    /// Rebuilds the state and checks it against the stored hash.
    pub fn restore(&self) -> Result<State, LogError> {
        let state = State::from_image(&self.image);
        let found = state.state_hash();
        if found != self.state_hash {
            return Err(LogError::Corrupt(format!(
                "snapshot at {} hashes to {found}, not its stored {}",
                self.seq, self.state_hash
            )));
        }
        Ok(state)
    }
}

/// A snapshot's bytes with their BLAKE3 checksum, so damage is found before decoding: a
/// damaged image that happened to decode could describe an impossible state.
#[derive(Serialize, Deserialize)]
struct Sealed {
    checksum: [u8; 32],
    body: Vec<u8>,
}

impl Snapshot {
    /// Encodes the snapshot, sealed with a checksum, in the current format's envelope.
    pub fn encode(&self) -> Vec<u8> {
        let body = postcard::to_stdvec(self).expect("invariant: encoding into a Vec cannot fail");
        encode(&Sealed {
            checksum: *blake3::hash(&body).as_bytes(),
            body,
        })
    }

    /// Decodes a snapshot, refusing unknown versions, damaged bytes and malformed bodies.
    pub fn decode(bytes: &[u8]) -> Result<Self, LogError> {
        let sealed: Sealed = decode(bytes)?;
        if *blake3::hash(&sealed.body).as_bytes() != sealed.checksum {
            return Err(LogError::Corrupt("snapshot checksum mismatch".into()));
        }
        postcard::from_bytes(&sealed.body)
            .map_err(|error| LogError::Corrupt(format!("undecodable snapshot: {error}")))
    }
}

/// Encodes a value in the current format's envelope.
pub fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    encode_after(value, Vec::new())
}

/// Appends a value, in the current format's envelope, to `bytes`: values encoded one after
/// another read back one by one with [`decode_front`].
pub(crate) fn encode_after<T: Serialize>(value: &T, mut bytes: Vec<u8>) -> Vec<u8> {
    bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    postcard::to_extend(value, bytes).expect("invariant: encoding into a Vec cannot fail")
}

/// Decodes a value from its envelope, refusing unknown versions and malformed bodies.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, LogError> {
    decode_front(bytes).map(|(value, _rest)| value)
}

/// Decodes the value at the front of `bytes`, returning it and the bytes after it.
pub(crate) fn decode_front<T: DeserializeOwned>(bytes: &[u8]) -> Result<(T, &[u8]), LogError> {
    let Some((version, body)) = bytes.split_first_chunk::<2>() else {
        return Err(LogError::Corrupt(format!(
            "a stored value of {} bytes has no version",
            bytes.len()
        )));
    };
    let version = u16::from_le_bytes(*version);
    if version != FORMAT_VERSION {
        return Err(LogError::UnknownVersion {
            found: version,
            supported: FORMAT_VERSION,
        });
    }
    postcard::take_from_bytes(body)
        .map_err(|error| LogError::Corrupt(format!("undecodable value: {error}")))
}

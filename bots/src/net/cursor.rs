//! [`Cursor`]: where the bot is in the server's stream of records, so that after a dropped
//! connection it resumes exactly where it stopped.
//!
//! Every message of the subscribed channels carries the record (`seq`) it reflects, and a
//! connection delivers them in seq order; one record may bring several messages (a trade,
//! a quote, fills, a balance). The cursor keeps the last record handled and how many of
//! its messages were handled. A connection can drop in the middle of a record, so it
//! resumes with `since` = that record minus one and drops again the messages of that
//! record it already handled: the server replays a record's messages in the order it
//! first sent them.
//!
//! After a fresh read of the state over REST (at the start, or after `resync`) every
//! record up to the read's seq is already reflected: their messages are dropped.

/// The bot's place in the stream of records.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cursor {
    /// Records up to this one are reflected by the last REST read.
    synced_through: u64,
    /// The last record whose messages were handled (at least `synced_through`).
    last: u64,
    /// How many messages of `last` were handled.
    handled_at_last: u32,
    /// After a resume: how many messages of `last` are replayed and must be dropped.
    replayed_to_drop: u32,
    /// Whether the state was ever read (before that there is nothing to resume from).
    started: bool,
}

impl Cursor {
    /// The state was read over REST at record `seq`.
    pub fn synced(&mut self, seq: u64) {
        self.started = true;
        self.synced_through = self.synced_through.max(seq);
        if self.last < self.synced_through {
            self.last = self.synced_through;
            self.handled_at_last = 0;
        }
        self.replayed_to_drop = 0;
    }

    /// Whether a message of record `seq` is new (and now counts as handled); `false`
    /// drops it.
    pub fn admit(&mut self, seq: u64) -> bool {
        if seq <= self.synced_through || seq < self.last {
            return false;
        }
        if seq == self.last {
            if self.replayed_to_drop > 0 {
                self.replayed_to_drop -= 1;
                return false;
            }
            self.handled_at_last += 1;
            return true;
        }
        self.last = seq;
        self.handled_at_last = 1;
        self.replayed_to_drop = 0;
        true
    }

    /// The `since` to resubscribe with after a dropped connection (`None` before the
    /// first read of the state: subscribe afresh).
    pub fn resume(&mut self) -> Option<u64> {
        if !self.started {
            return None;
        }
        if self.handled_at_last > 0 && self.last > self.synced_through {
            self.replayed_to_drop = self.handled_at_last;
            Some(self.last - 1)
        } else {
            self.replayed_to_drop = 0;
            Some(self.last)
        }
    }

    /// The last record whose messages were handled.
    pub fn last(&self) -> u64 {
        self.last
    }

    /// Every message of records up to this one has been handled or dropped (the last
    /// record may still have messages to come).
    pub fn complete_through(&self) -> u64 {
        self.synced_through.max(self.last.saturating_sub(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_resume_in_the_middle_of_a_record_drops_what_was_handled() {
        let mut cursor = Cursor::default();
        assert_eq!(cursor.resume(), None);
        cursor.synced(10);
        assert!(!cursor.admit(9));
        assert!(!cursor.admit(10));
        assert!(cursor.admit(11));
        assert!(cursor.admit(12));
        assert!(cursor.admit(12));
        // The connection drops after two of record 12's messages.
        assert_eq!(cursor.resume(), Some(11));
        assert!(!cursor.admit(12));
        assert!(!cursor.admit(12));
        assert!(cursor.admit(12), "the third message of 12 is new");
        assert!(cursor.admit(13));
        assert_eq!(cursor.complete_through(), 12);
    }

    #[test]
    fn a_resume_right_after_a_read_starts_at_the_read() {
        let mut cursor = Cursor::default();
        cursor.synced(7);
        assert_eq!(cursor.resume(), Some(7));
        assert!(cursor.admit(8));
        cursor.synced(20);
        assert_eq!(cursor.last(), 20);
        assert!(!cursor.admit(15));
        assert_eq!(cursor.resume(), Some(20));
    }
}

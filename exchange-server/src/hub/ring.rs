//! The resume ring: the rendered messages of the last records, so a client that reconnects
//! with `since` gets exactly what it missed.

use super::channel::ChannelKey;
use super::render::Rendered;
use exchange_core::log::Seq;
use std::collections::VecDeque;
use std::sync::Arc;

/// One record's messages.
#[derive(Debug)]
struct RingRecord {
    seq: Seq,
    messages: Vec<Rendered>,
}

/// The messages of at most `records_max` records, oldest first. Every message with a seq
/// above `floor` is kept; older ones are gone.
#[derive(Debug)]
pub(crate) struct Ring {
    records: VecDeque<RingRecord>,
    records_max: usize,
    floor: Seq,
}

impl Ring {
    /// An empty ring for a hub that starts at `seq`: nothing before it can be replayed.
    pub(crate) fn new(seq: Seq, records_max: usize) -> Self {
        Self {
            records: VecDeque::new(),
            records_max,
            floor: seq,
        }
    }

    /// Keeps record `seq`'s messages, forgetting the oldest record when full.
    pub(crate) fn push(&mut self, seq: Seq, messages: Vec<Rendered>) {
        let newest = self.records.back().map_or(self.floor, |r| r.seq);
        assert!(seq > newest, "ring records arrive in seq order");
        if self.records_max == 0 {
            self.floor = seq;
            return;
        }
        self.records.push_back(RingRecord { seq, messages });
        while self.records.len() > self.records_max {
            let oldest = self
                .records
                .pop_front()
                .expect("invariant: the ring is not empty");
            self.floor = oldest.seq;
        }
    }

    /// Every kept message of the channels `keys` with a seq above `since`, in seq order; or
    /// `None` if some of them are no longer kept, or if there are more than `count_max`.
    pub(crate) fn replay(
        &self,
        since: Seq,
        keys: &[ChannelKey],
        count_max: usize,
    ) -> Option<Vec<Arc<str>>> {
        if since < self.floor {
            return None;
        }
        let start = self.records.partition_point(|r| r.seq <= since);
        let mut replay = Vec::new();
        for record in self.records.range(start..) {
            for message in &record.messages {
                if keys.contains(&message.key) {
                    if replay.len() == count_max {
                        return None;
                    }
                    replay.push(Arc::clone(&message.text));
                }
            }
        }
        Some(replay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use exchange_core::TickerId;

    fn message(key: ChannelKey, text: &str) -> Rendered {
        Rendered {
            key,
            text: Arc::from(text),
        }
    }

    #[test]
    fn replays_what_follows_since_until_records_fall_out() {
        let (book, trades) = (
            ChannelKey::Book(TickerId(1)),
            ChannelKey::Trades(TickerId(1)),
        );
        let mut ring = Ring::new(10, 3);
        for seq in 11..=14 {
            let text = format!("b{seq}");
            ring.push(seq, vec![message(book, &text), message(trades, "t")]);
        }
        let texts = |replay: Option<Vec<Arc<str>>>| {
            replay.map(|r| r.iter().map(|t| t.to_string()).collect::<Vec<_>>())
        };
        assert_eq!(
            texts(ring.replay(12, &[book], 10)),
            Some(vec!["b13".into(), "b14".into()])
        );
        assert_eq!(
            texts(ring.replay(11, &[book], 10)).unwrap().len(),
            3,
            "11 is the floor"
        );
        assert_eq!(ring.replay(10, &[book], 10), None, "record 11 fell out");
        assert_eq!(texts(ring.replay(14, &[book], 10)), Some(vec![]));
        assert_eq!(
            texts(ring.replay(12, &[book, trades], 10)).unwrap().len(),
            4
        );
        assert_eq!(
            ring.replay(12, &[book, trades], 3),
            None,
            "more than asked for"
        );
    }
}

//! The disk's own sync cost, measured beside the log so the log's figures can be read
//! against it: what one `fdatasync` of a small append costs here and now.

use std::fmt;
use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::Path;
use std::time::{Duration, Instant};

/// Bytes appended before each sync: one page, the least a log record write costs.
pub const SYNC_WRITE_BYTES: usize = 4_096;

/// Percentiles of the time one small append plus `fdatasync` takes.
#[derive(Clone, Debug)]
pub struct SyncTimes {
    /// Appends measured, each followed by its sync.
    pub syncs: usize,
    /// Median time of one append plus sync.
    pub p50: Duration,
    /// 99th percentile of one append plus sync.
    pub p99: Duration,
}

impl fmt::Display for SyncTimes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "syncs={} write_bytes={SYNC_WRITE_BYTES} fdatasync_p50_ms={:.3} fdatasync_p99_ms={:.3}",
            self.syncs,
            self.p50.as_secs_f64() * 1_000.0,
            self.p99.as_secs_f64() * 1_000.0,
        )
    }
}

/// Appends a page to a new file in `dir` and `fdatasync`s it, `syncs` times, timing each.
/// The file is removed afterwards.
pub fn sync_times(dir: &Path, syncs: usize) -> io::Result<SyncTimes> {
    assert!(syncs >= 1, "a measurement needs at least one sync");
    let file = tempfile::NamedTempFile::new_in(dir)?;
    let mut handle = OpenOptions::new().append(true).open(file.path())?;
    let page = [0xA5_u8; SYNC_WRITE_BYTES];
    let mut times = Vec::with_capacity(syncs);
    for _ in 0..syncs {
        let start = Instant::now();
        handle.write_all(&page)?;
        handle.sync_data()?;
        times.push(start.elapsed());
    }
    times.sort_unstable();
    let at = |fraction: f64| times[((fraction * syncs as f64).ceil() as usize).clamp(1, syncs) - 1];
    Ok(SyncTimes {
        syncs,
        p50: at(0.50),
        p99: at(0.99),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sync_times_are_ordered() {
        let dir = tempfile::tempdir().unwrap();
        let times = sync_times(dir.path(), 5).unwrap();
        assert_eq!(times.syncs, 5);
        assert!(times.p50 <= times.p99);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}

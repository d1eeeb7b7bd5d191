//! Shared test fixtures: each workload is generated once per test binary.

use std::sync::OnceLock;

use crate::workload::{self, Workload};

/// W1 on seed 42, the stream whose figures `workloads.md` publishes.
pub(crate) fn w1_seed_42() -> &'static Workload {
    static W1: OnceLock<Workload> = OnceLock::new();
    W1.get_or_init(|| workload::w1(42))
}

/// W2 on seed 42.
pub(crate) fn w2_seed_42() -> &'static Workload {
    static W2: OnceLock<Workload> = OnceLock::new();
    W2.get_or_init(|| workload::w2(42))
}

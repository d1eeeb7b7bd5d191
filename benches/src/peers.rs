//! Adapters driving peer crates through [`Engine`](crate::engine::Engine).
//!
//! Each adapter is thin: it translates [`Op`](crate::workload::Op)s into the
//! peer's own commands and counts filled volume from the peer's reports, and
//! does the least extra work needed for the peer to honour the workload's
//! semantics (see each adapter for what that is).

pub mod exchange_core;
pub mod matchcore;

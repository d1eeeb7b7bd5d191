//! Identifiers. The engine assigns account, ticker and order ids itself, sequentially from 1,
//! so replaying the same commands always yields the same ids.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident($inner:ty)) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub $inner);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// An account, assigned by the engine in creation order starting at 1.
    AccountId(u32)
);
id_type!(
    /// A ticker, assigned by the engine in creation order starting at 1.
    TickerId(u32)
);
id_type!(
    /// An order, assigned by the engine in acceptance order starting at 1. Ids are never
    /// reused, so an id below the next one to be assigned names an order that existed.
    OrderId(u64)
);
id_type!(
    /// An identifier a client chooses for its own order. It is unique per account forever:
    /// a command reusing one is rejected, so a client may safely retry a placement.
    ClientOrderId(u64)
);

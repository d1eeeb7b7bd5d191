//! Units of value. All are whole numbers: the exchange has no decimals and no floats.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! unit_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub u64);

        impl $name {
            /// Zero of this unit.
            pub const ZERO: Self = Self(0);

            /// The amount as a plain integer.
            pub const fn get(self) -> u64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

unit_type!(
    /// An amount of money, in whole credits.
    Credits
);
unit_type!(
    /// A price, in credits per share.
    Price
);
unit_type!(
    /// A number of shares.
    Quantity
);

impl Price {
    /// The cost of `quantity` shares at this price, or `None` if it does not fit in a `u64`.
    pub fn checked_cost(self, quantity: Quantity) -> Option<Credits> {
        self.0.checked_mul(quantity.0).map(Credits)
    }

    /// The cost of `quantity` shares at this price, for amounts the engine already knows fit.
    ///
    /// # Panics
    /// If the product overflows, which means a ledger invariant is already broken.
    pub fn cost(self, quantity: Quantity) -> Credits {
        self.checked_cost(quantity)
            .expect("invariant: cost of a held or traded quantity fits in u64")
    }
}

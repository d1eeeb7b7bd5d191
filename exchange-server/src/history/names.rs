//! How the core's enums are spelled in the API: by their wire names (`"buy"`,
//! `"post_only"`, see [`crate::wire`]). The core's own serde spelling (`"Buy"`) is its log
//! format and stays as it is.

use crate::wire::{WireSide, WireTimeInForce};
use exchange_core::{Side, TimeInForce};
use serde::{Serialize, Serializer};

/// Serializes a [`Side`] by its API name (for `#[serde(serialize_with)]`).
pub(crate) fn side<S: Serializer>(side: &Side, serializer: S) -> Result<S::Ok, S::Error> {
    WireSide::from(*side).serialize(serializer)
}

/// Serializes an optional [`TimeInForce`] by its API name, or as null.
pub(crate) fn time_in_force<S: Serializer>(
    time_in_force: &Option<TimeInForce>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    time_in_force
        .map(WireTimeInForce::from)
        .serialize(serializer)
}

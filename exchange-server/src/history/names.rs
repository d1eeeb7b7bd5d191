//! How the core's enums are spelled in the API: lower-case snake case (`"buy"`,
//! `"post_only"`), as `docs/api.md` promises. The core's own serde spelling (`"Buy"`) is its
//! log format and stays as it is.

use exchange_core::{Side, TimeInForce};
use serde::Serializer;

/// `"buy"` or `"sell"`.
pub(crate) const fn side_name(side: Side) -> &'static str {
    match side {
        Side::Buy => "buy",
        Side::Sell => "sell",
    }
}

/// `"gtc"`, `"ioc"`, `"fok"` or `"post_only"`.
pub(crate) const fn time_in_force_name(time_in_force: TimeInForce) -> &'static str {
    match time_in_force {
        TimeInForce::Gtc => "gtc",
        TimeInForce::Ioc => "ioc",
        TimeInForce::Fok => "fok",
        TimeInForce::PostOnly => "post_only",
    }
}

/// Serializes a [`Side`] by its API name (for `#[serde(serialize_with)]`).
pub(crate) fn side<S: Serializer>(side: &Side, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(side_name(*side))
}

/// Serializes an optional [`TimeInForce`] by its API name, or as null.
pub(crate) fn time_in_force<S: Serializer>(
    time_in_force: &Option<TimeInForce>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match time_in_force {
        Some(time_in_force) => serializer.serialize_some(time_in_force_name(*time_in_force)),
        None => serializer.serialize_none(),
    }
}

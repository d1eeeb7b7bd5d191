//! Rejection codes as `&'static str`, as [`Input::Rejected`](crate::Input::Rejected) carries
//! them: the server's stable codes (`docs/api.md`) and the few the runner adds itself.

/// The request never got an answer (connection refused or dropped, timeout).
pub const NETWORK: &str = "network";
/// The answer could not be understood.
pub const BAD_ANSWER: &str = "bad_answer";
/// A code this runner does not know (the server is newer than it).
pub const UNKNOWN: &str = "unknown_error";
/// A transfer to the orchestrator, but the bot was given no orchestrator email.
pub const NO_ORCHESTRATOR: &str = "no_orchestrator";
/// An orchestrator's action, but the bot has no trader to start.
pub const NOT_ORCHESTRATING: &str = "not_orchestrating";
/// An action naming a client order id the runner does not know.
pub const UNKNOWN_ORDER: &str = "unknown_order";

/// Every code the server documents, plus the runner's own.
const CODES: &[&str] = &[
    // The runner's.
    NETWORK,
    BAD_ANSWER,
    UNKNOWN,
    NO_ORCHESTRATOR,
    NOT_ORCHESTRATING,
    // 400
    "invalid_json",
    "invalid_request",
    "invalid_body",
    "invalid_email",
    "invalid_password",
    "invalid_token_name",
    "invalid_symbol",
    "invalid_quantity",
    "invalid_price",
    "invalid_amount",
    "self_transfer",
    "amendment_unchanged",
    "ticker_status_unchanged",
    "alert_not_set",
    // 401
    "unauthenticated",
    "invalid_credentials",
    // 403
    "csrf",
    "not_admin",
    "not_orchestrator",
    "not_your_orchestrated_account",
    "account_closed",
    "account_required",
    // 404
    "not_found",
    "unknown_account",
    "unknown_user",
    "unknown_ticker",
    "unknown_order",
    "unknown_token",
    // 405
    "method_not_allowed",
    // 409
    "email_taken",
    "duplicate_symbol",
    "duplicate_client_order_id",
    "order_not_open",
    // 413, 415
    "payload_too_large",
    "unsupported_media_type",
    // 422
    "insufficient_credits",
    "insufficient_shares",
    "post_only_would_trade",
    "no_liquidity",
    "fok_not_fillable",
    "amendment_would_trade",
    "market_closed",
    "too_many_open_orders",
    "too_many_accounts",
    "too_many_tickers",
    "overflow",
    // 429
    "rate_limited",
    "too_many_tokens",
    "too_many_tickets",
    // 500, 503
    "internal",
    "overloaded",
    "unavailable",
];

/// `code` as a static string; [`UNKNOWN`] if it is not one of the documented codes.
pub fn static_code(code: &str) -> &'static str {
    CODES
        .iter()
        .find(|known| **known == code)
        .copied()
        .unwrap_or(UNKNOWN)
}

/// Whether a refusal with this code means the bot cannot go on, however long it retries:
/// its token was revoked (as liquidation does), its account is closed, or the ticker it was
/// given does not exist (tickers are never removed, so it never will).
pub fn is_fatal(code: &str) -> bool {
    matches!(
        code,
        "unauthenticated" | "account_closed" | "unknown_ticker" | "unknown_channel"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_map_to_static_strings() {
        assert_eq!(static_code("no_liquidity"), "no_liquidity");
        assert_eq!(static_code("something_new"), UNKNOWN);
        assert!(is_fatal("unauthenticated"));
        assert!(is_fatal("unknown_channel"), "a ticker that does not exist");
        assert!(!is_fatal("insufficient_credits"));
        for (index, code) in CODES.iter().enumerate() {
            assert!(!CODES[..index].contains(code), "{code} is listed twice");
        }
    }
}

//! The auth store's limits, in one place, with the relations between them checked at
//! compile time.

/// Fewest characters (Unicode scalar values, not bytes) a password may have.
pub const PASSWORD_CHARS_MIN: usize = 8;

/// Most characters (Unicode scalar values, not bytes) a password may have. Bounds the work
/// one login asks of argon2.
pub const PASSWORD_CHARS_MAX: usize = 128;

/// Most bytes a normalised email may have (the SMTP limit on a forward path).
pub const EMAIL_BYTES_MAX: usize = 254;

/// Most characters an API token's name may have, after trimming.
pub const TOKEN_NAME_CHARS_MAX: usize = 64;

/// Most API tokens one account may hold at once; a bot needs a few, not thousands.
pub const API_TOKENS_PER_ACCOUNT_MAX: usize = 100;

/// Most WebSocket tickets held in memory at once (they live 30 s and are used at once).
pub const TICKETS_MAX: usize = 10_000;

/// Random bytes in every session, token and ticket secret: 256 bits.
pub const SECRET_BYTES: usize = 32;

/// Characters in a secret's text form: lower-case hex, two per byte.
pub const SECRET_CHARS: usize = SECRET_BYTES * 2;

const _: () = assert!(PASSWORD_CHARS_MIN >= 8);
const _: () = assert!(PASSWORD_CHARS_MIN < PASSWORD_CHARS_MAX);
const _: () = assert!(TOKEN_NAME_CHARS_MAX > 0);
const _: () = assert!(API_TOKENS_PER_ACCOUNT_MAX > 0);
const _: () = assert!(TICKETS_MAX > 0);
// 128 bits is the least that makes guessing hopeless; blake3's output is 32 bytes.
const _: () = assert!(SECRET_BYTES >= 16);
const _: () = assert!(SECRET_BYTES <= blake3::OUT_LEN);

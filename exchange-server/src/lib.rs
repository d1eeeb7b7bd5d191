//! The exchange's server and its command-line tools.

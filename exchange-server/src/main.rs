//! The `exchange` command-line tool.

fn main() {}

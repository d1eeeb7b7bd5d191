//! What the tools tell a person on stderr besides their results: progress bars on long
//! replays and warnings (such as refused snapshots). Both are optional; results and errors
//! are not, and never go through here.

use exchange_core::log::Seq;
use exchange_core::Recovery;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;

/// How much non-essential output a person asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verbosity {
    /// No progress bars and no warnings (`--quiet`).
    Quiet,
    /// Progress bars where they can be drawn, and warnings.
    Normal,
}

/// Whether progress bars are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bars {
    /// Drawn on stderr.
    Shown,
    /// Never drawn (stderr is not a terminal, or the person asked for quiet).
    Hidden,
}

/// The channel for progress and warnings.
#[derive(Clone, Copy, Debug)]
pub struct Feedback {
    verbosity: Verbosity,
    bars: Bars,
}

/// The bar's layout: what it does, how far it is, and how long it has left.
const BAR_TEMPLATE: &str = "{msg:>8} [{bar:40}] {pos}/{len} records ({eta} left)";

impl Feedback {
    /// Feedback as asked for, drawing bars only if asked.
    pub const fn new(verbosity: Verbosity, bars: Bars) -> Self {
        Self { verbosity, bars }
    }

    /// Feedback for this process: bars only when stderr is a terminal and not quiet.
    pub fn for_stderr(verbosity: Verbosity) -> Self {
        let bars = match verbosity {
            Verbosity::Normal if std::io::stderr().is_terminal() => Bars::Shown,
            Verbosity::Normal | Verbosity::Quiet => Bars::Hidden,
        };
        Self::new(verbosity, bars)
    }

    /// No output at all, for library callers and tests.
    pub const fn silent() -> Self {
        Self::new(Verbosity::Quiet, Bars::Hidden)
    }

    /// A progress bar over `records` records, labelled `action`; hidden when bars are off.
    /// The caller finishes it with [`ProgressBar::finish_and_clear`].
    pub fn progress(&self, action: &'static str, records: u64) -> ProgressBar {
        match self.bars {
            Bars::Hidden => ProgressBar::hidden(),
            Bars::Shown => {
                // The template is a constant; the unit test below proves it parses.
                let style = ProgressStyle::with_template(BAR_TEMPLATE)
                    .expect("invariant: the bar template is valid")
                    .progress_chars("=> ");
                ProgressBar::new(records)
                    .with_style(style)
                    .with_message(action)
            }
        }
    }

    /// Prints a warning on stderr unless quiet.
    pub fn warn(&self, message: &str) {
        match self.verbosity {
            Verbosity::Normal => eprintln!("warning: {message}"),
            Verbosity::Quiet => {}
        }
    }

    /// Warns about every snapshot that opening the log refused, and what was used instead.
    pub fn recovery(&self, recovery: &Recovery) {
        let used = used_instead(recovery.snapshot);
        for (seq, error) in &recovery.refused_snapshots {
            self.warn(&format!("snapshot at {seq} refused: {error}; {used}"));
        }
    }
}

/// What a replay started from, in words.
fn used_instead(snapshot: Option<Seq>) -> String {
    match snapshot {
        Some(seq) => format!("used snapshot at {seq}"),
        None => "full replay".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_template_parses() {
        assert!(ProgressStyle::with_template(BAR_TEMPLATE).is_ok());
        let bar = Feedback::new(Verbosity::Normal, Bars::Shown).progress("audit", 10);
        assert_eq!(bar.length(), Some(10));
        bar.finish_and_clear();
    }

    #[test]
    fn quiet_feedback_hides_its_bars() {
        assert!(Feedback::silent().progress("audit", 10).is_hidden());
        assert!(Feedback::for_stderr(Verbosity::Quiet)
            .progress("audit", 10)
            .is_hidden());
    }

    #[test]
    fn recovery_warnings_say_what_was_used() {
        assert_eq!(used_instead(Some(30)), "used snapshot at 30");
        assert_eq!(used_instead(None), "full replay");
    }
}

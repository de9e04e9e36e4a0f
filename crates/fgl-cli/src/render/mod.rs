//! Everything the user sees: diagnostics as ariadne reports ([`human`]) or JSON ([`json`]), and
//! the tool's own one-line messages. The only module that knows about terminals and colors.

pub mod human;
pub mod json;
pub mod plan;
pub mod progress;

use std::fmt::Display;
use std::io::{IsTerminal, Write};

use fgl_syntax::Severity;

use crate::cli::ColorChoice;

/// How output to stderr is styled.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub color: bool,
}

const BOLD_RED: &str = "\x1b[1;31m";
const BOLD_YELLOW: &str = "\x1b[1;33m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

impl Style {
    /// `auto` colors only when stderr (where everything colored goes) is a terminal, NO_COLOR is
    /// unset or empty (<https://no-color.org>), and the terminal is not `dumb`.
    pub fn new(choice: ColorChoice) -> Style {
        Style {
            color: Self::wanted(choice, std::io::stderr().is_terminal()),
        }
    }

    /// The style for documents on stdout (a plan): with `auto`, colored only when stdout is a
    /// terminal, so `fgl plan > plan.txt` has no escapes.
    pub fn for_stdout(choice: ColorChoice) -> Style {
        Style {
            color: Self::wanted(choice, std::io::stdout().is_terminal()),
        }
    }

    fn wanted(choice: ColorChoice, terminal: bool) -> bool {
        match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                terminal
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
            }
        }
    }

    pub fn paint(&self, style: &str, text: impl Display) -> String {
        if self.color {
            format!("{style}{text}{RESET}")
        } else {
            text.to_string()
        }
    }

    /// `text` in the color of the severity.
    pub fn severity(&self, severity: Severity, text: impl Display) -> String {
        match severity {
            Severity::Error => self.paint(BOLD_RED, text),
            Severity::Warning => self.paint(BOLD_YELLOW, text),
        }
    }

    pub fn error_label(&self) -> String {
        self.severity(Severity::Error, "error")
    }

    pub fn warning_label(&self) -> String {
        self.severity(Severity::Warning, "warning")
    }

    pub fn bold(&self, text: impl Display) -> String {
        self.paint(BOLD, text)
    }

    /// Prints `error: MESSAGE` on stderr.
    pub fn error(&self, message: impl Display) {
        // Nothing sensible can be done when stderr itself is gone.
        let _ = writeln!(
            std::io::stderr().lock(),
            "{}: {message}",
            self.error_label()
        );
    }

    /// Prints `warning: MESSAGE` on stderr.
    pub fn warning(&self, message: impl Display) {
        let _ = writeln!(
            std::io::stderr().lock(),
            "{}: {message}",
            self.warning_label()
        );
    }

    /// Prints a plain line on stderr.
    pub fn note(&self, message: impl Display) {
        let _ = writeln!(std::io::stderr().lock(), "{message}");
    }
}

/// `1 error`, `2 errors`.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_escapes_without_color() {
        let style = Style { color: false };
        assert_eq!(style.error_label(), "error");
        assert_eq!(style.bold("x"), "x");
        let style = Style { color: true };
        assert_eq!(style.error_label(), "\x1b[1;31merror\x1b[0m");
    }

    #[test]
    fn plurals() {
        assert_eq!(plural(1, "file"), "1 file");
        assert_eq!(plural(0, "file"), "0 files");
        assert_eq!(plural(3, "error"), "3 errors");
    }
}

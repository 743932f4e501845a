//! A small progress bar on standard error, for long rosters: shown only when standard
//! error is a terminal or `--progress` is given, never mixed into standard output.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// A progress bar (rows done, of a known or unknown total).
pub struct Progress {
    enabled: bool,
    label: String,
    total: Option<u64>,
    done: u64,
    start: Instant,
    drawn: Option<Instant>,
}

impl Progress {
    /// A bar labelled `label`; `forced` shows it even when standard error is not a
    /// terminal, `disabled` never shows it.
    pub fn new(label: &str, total: Option<u64>, forced: bool, disabled: bool) -> Progress {
        Progress {
            enabled: !disabled && (forced || std::io::stderr().is_terminal()),
            label: label.to_string(),
            total,
            done: 0,
            start: Instant::now(),
            drawn: None,
        }
    }

    /// `n` more rows are done.
    pub fn advance(&mut self, n: u64) {
        self.done += n;
        if !self.enabled {
            return;
        }
        let now = Instant::now();
        if self
            .drawn
            .is_some_and(|d| now.duration_since(d) < Duration::from_millis(100))
        {
            return;
        }
        self.drawn = Some(now);
        self.draw(now);
    }

    fn rate(&self, now: Instant) -> f64 {
        let secs = now.duration_since(self.start).as_secs_f64();
        if secs > 0.0 {
            self.done as f64 / secs
        } else {
            0.0
        }
    }

    fn draw(&self, now: Instant) {
        let rate = self.rate(now);
        let line = match self.total {
            Some(total) if total > 0 => {
                let frac = (self.done as f64 / total as f64).min(1.0);
                let filled = (frac * 30.0).round() as usize;
                format!(
                    "{} [{}{}] {:>3.0}% {}/{} rows · {:.0} rows/s",
                    self.label,
                    "#".repeat(filled),
                    "-".repeat(30 - filled.min(30)),
                    frac * 100.0,
                    self.done,
                    total,
                    rate
                )
            }
            _ => format!("{} {} rows · {:.0} rows/s", self.label, self.done, rate),
        };
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{line}");
        let _ = err.flush();
    }

    /// Clear the bar and print one summary line (only when the bar was shown).
    pub fn finish(&self) {
        if !self.enabled {
            return;
        }
        let now = Instant::now();
        let secs = now.duration_since(self.start).as_secs_f64();
        let mut err = std::io::stderr().lock();
        let _ = writeln!(
            err,
            "\r\x1b[2K{} {} rows in {:.2} s ({:.0} rows/s)",
            self.label,
            self.done,
            secs,
            self.rate(now)
        );
    }
}

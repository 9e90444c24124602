//! The progress of a long command (an import): a bar redrawn in place on a
//! terminal, a log line every five seconds otherwise (a service manager's
//! journal has no use for carriage returns).

use std::io::IsTerminal;
use std::time::{Duration, Instant};

const LOG_EVERY: Duration = Duration::from_secs(5);
const BAR_WIDTH: usize = 40;

pub struct Progress {
    /// What is in progress, for the log line ("importing").
    doing: &'static str,
    total: u64,
    terminal: bool,
    last_log: Instant,
    drawn: bool,
}

impl Progress {
    /// Progress towards `total` (bytes of a file, say).
    pub fn new(doing: &'static str, total: u64) -> Progress {
        Progress {
            doing,
            total,
            terminal: std::io::stderr().is_terminal(),
            last_log: Instant::now(),
            drawn: false,
        }
    }

    /// `done` of the total so far, and what that is in words.
    pub fn show(&mut self, done: u64, said: &str) {
        let fraction = if self.total == 0 {
            1.0
        } else {
            (done as f64 / self.total as f64).min(1.0)
        };
        if self.terminal {
            let filled = (fraction * BAR_WIDTH as f64) as usize;
            eprint!(
                "\r[{}{}] {:>3.0}%  {said}",
                "#".repeat(filled),
                " ".repeat(BAR_WIDTH - filled),
                fraction * 100.0,
            );
            self.drawn = true;
        } else if self.last_log.elapsed() >= LOG_EVERY {
            tracing::info!(
                percent = (fraction * 100.0).round(),
                progress = said,
                "{}",
                self.doing
            );
            self.last_log = Instant::now();
        }
    }

    /// Ends the bar's line, if one was drawn.
    pub fn finish(&self) {
        if self.drawn {
            eprintln!();
        }
    }
}

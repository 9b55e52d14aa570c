//! A one-line progress display on stderr, for people watching a terminal.
//!
//! It draws at most ten times a second from whichever worker thread gets
//! there first, and draws nothing at all when disabled (stderr is not a
//! terminal, or `--quiet`), so logs and pipes never see it.

#![allow(clippy::print_stderr)] // Drawing on stderr is this module's job.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A counter with a label, shown as `label: done/total`.
pub struct Progress {
    enabled: bool,
    state: Mutex<Stage>,
    done: AtomicUsize,
}

struct Stage {
    label: &'static str,
    total: usize,
    drawn: Instant,
}

impl Progress {
    /// A display that draws only if `enabled`.
    pub fn new(enabled: bool) -> Self {
        Progress {
            enabled,
            state: Mutex::new(Stage {
                label: "",
                total: 0,
                drawn: Instant::now(),
            }),
            done: AtomicUsize::new(0),
        }
    }

    /// Starts counting a new stage of `total` steps.
    pub fn stage(&self, label: &'static str, total: usize) {
        self.done.store(0, Ordering::Relaxed);
        if let Ok(mut state) = self.state.lock() {
            state.label = label;
            state.total = total;
        }
    }

    /// Counts one step, redrawing if the last draw is old enough.
    pub fn step(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if !self.enabled {
            return;
        }
        if let Ok(mut state) = self.state.try_lock() {
            if state.drawn.elapsed() >= Duration::from_millis(100) {
                state.drawn = Instant::now();
                eprint!("\r\x1b[K{}: {done}/{}", state.label, state.total);
            }
        }
    }

    /// Clears the line, before the report or messages are printed.
    pub fn finish(&self) {
        if self.enabled {
            eprint!("\r\x1b[K");
        }
    }
}

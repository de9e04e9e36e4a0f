//! Live progress of an apply or destroy: on a terminal one indicatif line per resource (a
//! spinner, what is being done, elapsed time, then its result); elsewhere (CI, pipes) one
//! plain line per finished resource and per retry, on stderr.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fgl_plan::{Event, Plan, Progress, Status};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Style;

const GREEN: &str = "\x1b[32m";
const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";

struct State {
    bars: HashMap<String, ProgressBar>,
    started: HashMap<String, Instant>,
}

/// The progress display of one apply.
pub struct Display {
    multi: Option<MultiProgress>,
    kinds: HashMap<String, String>,
    style: Style,
    state: Mutex<State>,
}

impl Display {
    pub fn new(plan: &Plan, style: Style) -> Arc<Display> {
        let multi = std::io::stderr()
            .is_terminal()
            .then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr()));
        Arc::new(Display {
            multi,
            kinds: plan
                .changes
                .iter()
                .map(|c| (c.id.clone(), c.kind.clone()))
                .collect(),
            style,
            state: Mutex::new(State {
                bars: HashMap::new(),
                started: HashMap::new(),
            }),
        })
    }

    /// The engine's progress callback.
    pub fn callback(self: &Arc<Self>) -> Progress {
        let display = self.clone();
        Arc::new(move |event: &Event| display.on(event))
    }

    fn kind(&self, id: &str) -> &str {
        self.kinds.get(id).map(String::as_str).unwrap_or("")
    }

    fn on(&self, event: &Event) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        match event {
            Event::Started { id, action } => {
                state.started.insert(id.clone(), Instant::now());
                if let Some(multi) = &self.multi {
                    let bar = multi.add(ProgressBar::new_spinner());
                    bar.set_style(
                        ProgressStyle::with_template("  {spinner} {msg} {elapsed:.dim}")
                            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                    );
                    bar.set_message(format!("{} {id} ({})", ing(action), self.kind(id)));
                    bar.enable_steady_tick(Duration::from_millis(120));
                    state.bars.insert(id.clone(), bar);
                }
            }
            Event::Retrying {
                id,
                attempt,
                delay_ms,
                message,
                ..
            } => {
                let line = format!(
                    "{} {id}: attempt {attempt} failed, again in {:.1}s: {message}",
                    self.style.paint(YELLOW, "retrying"),
                    *delay_ms as f64 / 1000.0
                );
                match state.bars.get(id) {
                    Some(bar) => bar.println(format!("  {line}")),
                    None => eprintln_safe(&format!("  {line}")),
                }
            }
            Event::Finished { id, status } => {
                let elapsed = state
                    .started
                    .get(id)
                    .map(|t| t.elapsed())
                    .unwrap_or_default();
                let line = self.finished(id, status, elapsed);
                match state.bars.remove(id) {
                    Some(bar) => bar.finish_with_message(line),
                    None => eprintln_safe(&format!("  {line}")),
                }
            }
        }
    }

    fn finished(&self, id: &str, status: &Status, elapsed: Duration) -> String {
        let kind = self.kind(id);
        match status {
            Status::Done => format!(
                "{} {id} ({kind}) in {:.1}s",
                self.style.paint(GREEN, "done"),
                elapsed.as_secs_f64()
            ),
            Status::Failed { error } => format!(
                "{} {id} ({kind}): {}",
                self.style.paint(RED, "failed"),
                error.message
            ),
            Status::Skipped { reason } => format!("skipped {id} ({kind}): {reason}"),
        }
    }
}

/// `creating` for `create`.
fn ing(action: &str) -> String {
    match action {
        "create" => "creating".into(),
        "update" => "updating".into(),
        "replace" => "replacing".into(),
        "delete" => "deleting".into(),
        other => other.to_string(),
    }
}

fn eprintln_safe(line: &str) {
    // Nothing sensible can be done when stderr itself is gone.
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

//! Interleaved rounds: each round times every variant once, in an order
//! that rotates from round to round, so that a slow spell of the machine
//! (other builds on the same cores) hits all variants alike. Ratios are
//! taken within a round and summarized by their median and quartiles; a
//! variant's own time is the median of its samples.

use std::time::Duration;

/// The samples of every variant, one per round.
#[derive(Clone, Debug)]
pub struct Rounds {
    names: Vec<String>,
    /// `samples[round][variant]`: what one sample took.
    samples: Vec<Vec<Duration>>,
}

/// Median and quartiles.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spread {
    /// The lower quartile.
    pub q1: f64,
    /// The median.
    pub median: f64,
    /// The upper quartile.
    pub q3: f64,
}

impl Spread {
    /// The spread of `values` (at least one).
    pub fn of(mut values: Vec<f64>) -> Self {
        values.sort_by(f64::total_cmp);
        let at = |q: f64| {
            let position = q * (values.len() - 1) as f64;
            let (low, high) = (position.floor() as usize, position.ceil() as usize);
            values[low] + (values[high] - values[low]) * (position - low as f64)
        };
        Self {
            q1: at(0.25),
            median: at(0.5),
            q3: at(0.75),
        }
    }
}

impl Rounds {
    /// No rounds yet, for these variants.
    pub fn new(names: &[&str]) -> Self {
        Self {
            names: names.iter().map(|n| (*n).to_owned()).collect(),
            samples: Vec::new(),
        }
    }

    /// The variants, in the order given.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The order to run the variants in during round `round`: rotated by
    /// half the round, and reversed every other round (with three variants,
    /// six rounds run every order once).
    pub fn order(&self, round: usize) -> Vec<usize> {
        let n = self.names.len();
        let mut order: Vec<usize> = (0..n).map(|i| (i + round / 2) % n).collect();
        if round % 2 == 1 {
            order.reverse();
        }
        order
    }

    /// Records a round: `sample[variant]` in the order of the names.
    pub fn push(&mut self, sample: Vec<Duration>) {
        assert_eq!(sample.len(), self.names.len(), "one sample per variant");
        self.samples.push(sample);
    }

    /// How many rounds were recorded.
    pub fn len(&self) -> usize {
        self.samples.len()
    }

    /// Whether no round was recorded.
    pub fn is_empty(&self) -> bool {
        self.samples.is_empty()
    }

    /// The spread of variant `v`'s sample times, in seconds.
    pub fn seconds(&self, v: usize) -> Spread {
        Spread::of(self.samples.iter().map(|s| s[v].as_secs_f64()).collect())
    }

    /// The throughput of variant `a` relative to variant `b`, round by
    /// round (`time(b) / time(a)`: above 1 means `a` is faster).
    pub fn ratio(&self, a: usize, b: usize) -> Spread {
        Spread::of(
            self.samples
                .iter()
                .map(|s| s[b].as_secs_f64() / s[a].as_secs_f64())
                .collect(),
        )
    }

    /// The index of the variant called `name`.
    pub fn index(&self, name: &str) -> usize {
        self.names
            .iter()
            .position(|n| n == name)
            .unwrap_or_else(|| panic!("no variant {name}"))
    }
}

/// The CPU time the calling thread has used so far
/// (`clock_gettime(CLOCK_THREAD_CPUTIME_ID)`), on the systems that have it.
///
/// Timing a single-threaded loop by its own CPU time leaves out the time
/// other processes took the core away, which wall time on a shared machine
/// does not.
pub fn thread_cpu_time() -> Option<Duration> {
    cpu_clock(Clock::Thread)
}

/// The CPU time the whole process has used so far, all threads, user and
/// system (`clock_gettime(CLOCK_PROCESS_CPUTIME_ID)`), on the systems that
/// have it.
///
/// A client's cost per request, with the server in another process: what
/// other processes take of the cores does not count.
pub fn process_cpu_time() -> Option<Duration> {
    cpu_clock(Clock::Process)
}

/// Whose CPU time.
#[derive(Clone, Copy)]
enum Clock {
    Thread,
    Process,
}

#[cfg(any(
    target_os = "linux",
    target_os = "android",
    target_os = "macos",
    target_os = "freebsd"
))]
fn cpu_clock(clock: Clock) -> Option<Duration> {
    use rustix::time::{ClockId, clock_gettime};
    let t = clock_gettime(match clock {
        Clock::Thread => ClockId::ThreadCPUTime,
        Clock::Process => ClockId::ProcessCPUTime,
    });
    Some(Duration::new(t.tv_sec as u64, t.tv_nsec as u32))
}

#[cfg(not(any(
    target_os = "linux",
    target_os = "android",
    target_os = "macos",
    target_os = "freebsd"
)))]
fn cpu_clock(_: Clock) -> Option<Duration> {
    None
}

/// A clock for one sample: the thread's CPU time where the system has it,
/// else wall time.
#[derive(Clone, Copy, Debug)]
pub enum Stopwatch {
    /// Started at this much thread CPU time.
    Cpu(Duration),
    /// Started at this instant.
    Wall(std::time::Instant),
}

impl Stopwatch {
    /// Starts a sample.
    pub fn start() -> Self {
        match thread_cpu_time() {
            Some(t) => Self::Cpu(t),
            None => Self::Wall(std::time::Instant::now()),
        }
    }

    /// What the sample took so far.
    pub fn elapsed(&self) -> Duration {
        match self {
            Self::Cpu(start) => thread_cpu_time().map_or(Duration::ZERO, |now| now - *start),
            Self::Wall(start) => start.elapsed(),
        }
    }

    /// What it measures: `"thread CPU time"` or `"wall time"`.
    pub fn kind() -> &'static str {
        if thread_cpu_time().is_some() {
            "thread CPU time"
        } else {
            "wall time"
        }
    }
}

/// The machine, for the reports: cores, the load average, the date.
pub fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let load = std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_owned());
    format!("{cores} cores, load average {load} (1, 5, 15 min) when the run ended")
}

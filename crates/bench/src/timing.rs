//! Timing a query again and again (the `inbox` and `stats` benchmarks): the sorted run times
//! after one warm-up, and their median and upper percentiles.

use std::time::{Duration, Instant};

/// Runs `f` once to warm up, then `runs` times; the run times, sorted.
pub async fn time_n<F, Fut>(runs: usize, mut f: F) -> Result<Vec<Duration>, sqlx::Error>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<(), sqlx::Error>>,
{
    f().await?;
    let mut out = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        f().await?;
        out.push(t.elapsed());
    }
    out.sort();
    Ok(out)
}

/// The median of sorted times (the upper middle of an even count).
pub fn median(t: &[Duration]) -> Duration {
    t[t.len() / 2]
}

/// The nearest-rank `p`th percentile of sorted times.
pub fn upper(t: &[Duration], p: usize) -> Duration {
    t[((t.len() * p).div_ceil(100)).saturating_sub(1).min(t.len() - 1)]
}

/// Milliseconds, for the tables.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

//! Waiting for something the server does in the background (a webhook delivery, a
//! retry, the answer of a restarted server) without asserting how fast it happens.

use std::future::Future;
use std::time::{Duration, Instant};

/// Guards against hangs only: long, because the machine may be loaded. Never a timing
/// assertion: a condition that holds earlier ends the wait earlier.
pub const HANG_GUARD: Duration = Duration::from_secs(60);

/// Polls `check` until it gives a value, failing after [`HANG_GUARD`].
pub async fn eventually<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(start.elapsed() < HANG_GUARD, "gave up waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

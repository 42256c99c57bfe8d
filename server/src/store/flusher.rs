//! Group commit: one thread flushes sled to disk for everybody.
//!
//! A write is acknowledged only after a flush that *began after the write*
//! has completed. Many requests waiting at the same time share one flush, so
//! durable throughput is bounded by the flush rate times the batch size, not
//! by one fsync per request.
//!
//! Why not `sled::Db::flush_async`: in sled 0.34.7 it deadlocks with eight or
//! more concurrent callers (sled issue 1308, fixed only in unreleased code),
//! and a blocking `flush()` per request caps throughput at one fsync each.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;

use tokio::sync::watch;

/// What the flusher publishes after every flush.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Completed {
    /// Number of the last finished flush.
    generation: u64,
    /// Whether that flush succeeded. A later successful flush also covers
    /// every earlier write, so only the latest outcome matters.
    ok: bool,
}

struct Shared {
    /// Number of the flush most recently *started*.
    started: AtomicU64,
    /// Set by writers, cleared by the flusher when it starts a flush.
    pending: Mutex<bool>,
    wake: Condvar,
    stop: AtomicBool,
    completed: watch::Sender<Completed>,
}

/// Flushes sled and makes its log stable. sled's flush writes the log with
/// sync_file_range, which survives a killed process but not a power cut;
/// fdatasync also flushes the disk's volatile cache.
pub fn write_to_disk(db: &sled::Db, log_file: &std::fs::File) -> sled::Result<()> {
    db.flush()?;
    log_file.sync_data().map_err(sled::Error::Io)
}

/// Published once the thread has ended; satisfies every waiter.
const STOPPED: u64 = u64::MAX;

pub struct Flusher {
    shared: Arc<Shared>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlushError {
    /// The flush that would have covered the write failed (disk full, I/O error).
    Failed,
    /// The store is shutting down.
    Stopped,
}

impl std::fmt::Display for FlushError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FlushError::Failed => write!(f, "flushing the database to disk failed"),
            FlushError::Stopped => write!(f, "the database is shutting down"),
        }
    }
}

impl Flusher {
    /// `log_file` is sled's log (`<dir>/db`), fdatasynced after each flush.
    pub fn start(db: sled::Db, log_file: std::fs::File) -> Flusher {
        let (completed, _) = watch::channel(Completed {
            generation: 0,
            ok: true,
        });
        let shared = Arc::new(Shared {
            started: AtomicU64::new(0),
            pending: Mutex::new(false),
            wake: Condvar::new(),
            stop: AtomicBool::new(false),
            completed,
        });
        let thread_shared = shared.clone();
        let thread = std::thread::Builder::new()
            .name("mekaar-flusher".into())
            .spawn(move || flush_loop(&thread_shared, &db, &log_file))
            .expect("spawning the flusher thread");
        Flusher {
            shared,
            thread: Mutex::new(Some(thread)),
        }
    }

    /// Waits until everything written before this call is on disk.
    pub async fn durable(&self) -> Result<(), FlushError> {
        let mut completed = self.shared.completed.subscribe();
        // Flush number `target` starts after this load, hence after our write.
        let target = self.shared.started.load(Ordering::SeqCst) + 1;
        {
            let mut pending = self
                .shared
                .pending
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            *pending = true;
        }
        self.shared.wake.notify_one();
        let outcome = completed
            .wait_for(|c| c.generation >= target)
            .await
            .map(|c| *c)
            .map_err(|_| FlushError::Stopped)?;
        if outcome.generation == STOPPED {
            Err(FlushError::Stopped)
        } else if outcome.ok {
            Ok(())
        } else {
            Err(FlushError::Failed)
        }
    }

    /// Stops the thread after a last flush. Idempotent.
    pub fn stop(&self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        {
            let mut pending = self
                .shared
                .pending
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            *pending = true;
        }
        self.shared.wake.notify_one();
        let handle = self.thread.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(handle) = handle {
            let _ = handle.join();
        }
    }
}

impl Drop for Flusher {
    fn drop(&mut self) {
        self.stop();
    }
}

fn flush_loop(shared: &Shared, db: &sled::Db, log_file: &std::fs::File) {
    loop {
        {
            let mut pending = shared.pending.lock().unwrap_or_else(|e| e.into_inner());
            while !*pending {
                pending = shared.wake.wait(pending).unwrap_or_else(|e| e.into_inner());
            }
            *pending = false;
        }
        let generation = shared.started.fetch_add(1, Ordering::SeqCst) + 1;
        let ok = match write_to_disk(db, log_file) {
            Ok(()) => true,
            Err(err) => {
                tracing::error!("flush {generation} failed: {err}");
                false
            }
        };
        shared.completed.send_replace(Completed { generation, ok });
        if shared.stop.load(Ordering::SeqCst) {
            // Whoever still waits (or comes later) must not hang: tell them
            // we stopped. Their write may still be on disk; they are told it
            // is not guaranteed, never the other way round.
            shared.completed.send_replace(Completed {
                generation: STOPPED,
                ok: false,
            });
            return;
        }
    }
}

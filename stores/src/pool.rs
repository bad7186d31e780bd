//! How big a store's pool of connections is, and how long a call waits for one.

use std::num::NonZeroUsize;
use std::time::Duration;

use deadpool::managed::{Manager, PoolBuilder};
use deadpool::Runtime;

/// The pool of a database store: how many connections it keeps at most, and how long a
/// call waits to get one.
///
/// A call holds one connection for its one transaction, so N calls in flight use up to N
/// connections, and call N+1 waits for one to come back. Waiting is bounded by
/// [`acquire_timeout`](Self::acquire_timeout), and so are making a new connection and
/// checking a returned one: a database that is down or unreachable fails a call within
/// about that time, never hangs it.
///
/// ```
/// use std::num::NonZeroUsize;
/// use std::time::Duration;
/// use workmail_org_stores::PoolOptions;
///
/// let options = PoolOptions::default()
///     .with_size(NonZeroUsize::new(32).unwrap())
///     .with_acquire_timeout(Duration::from_secs(2));
/// assert_eq!(options.size().get(), 32);
/// assert_eq!(PoolOptions::default().acquire_timeout(), Duration::from_secs(5));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PoolOptions {
    size: NonZeroUsize,
    acquire_timeout: Duration,
}

impl PoolOptions {
    /// The default size: 10 connections.
    pub const DEFAULT_SIZE: NonZeroUsize = match NonZeroUsize::new(10) {
        Some(size) => size,
        None => unreachable!(),
    };

    /// The default acquire timeout: 5 seconds.
    pub const DEFAULT_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

    /// With at most `size` connections.
    #[must_use]
    pub fn with_size(mut self, size: NonZeroUsize) -> Self {
        self.size = size;
        self
    }

    /// With calls waiting at most `timeout` for a connection.
    #[must_use]
    pub fn with_acquire_timeout(mut self, timeout: Duration) -> Self {
        self.acquire_timeout = timeout;
        self
    }

    /// The most connections the pool keeps.
    pub fn size(&self) -> NonZeroUsize {
        self.size
    }

    /// How long a call waits for a connection: for a free one, for a new one to be made,
    /// and for a returned one to be checked, each.
    pub fn acquire_timeout(&self) -> Duration {
        self.acquire_timeout
    }

    /// The pool builder with these options, on tokio's timers.
    pub(crate) fn apply<M: Manager>(&self, builder: PoolBuilder<M>) -> PoolBuilder<M> {
        builder
            .max_size(self.size.get())
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(self.acquire_timeout))
            .create_timeout(Some(self.acquire_timeout))
            .recycle_timeout(Some(self.acquire_timeout))
    }
}

impl Default for PoolOptions {
    fn default() -> Self {
        PoolOptions {
            size: Self::DEFAULT_SIZE,
            acquire_timeout: Self::DEFAULT_ACQUIRE_TIMEOUT,
        }
    }
}

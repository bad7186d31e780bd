//! Where a store keeps its tables, how big its pool of connections is, and how long a call
//! waits for one.

use std::num::NonZeroUsize;
use std::time::Duration;

use deadpool::managed::{Manager, PoolBuilder};
use deadpool::Runtime;

use crate::Namespace;

/// How a database store is opened: the [`Namespace`] of its tables (none by default: a
/// PostgreSQL connection's `search_path`, usually `public`, and no prefix on SQLite), how
/// many connections its pool keeps at most, and how long a call waits to get one.
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
/// use workmail_org_stores::StoreOptions;
///
/// let options = StoreOptions::default()
///     .with_namespace("billing".parse()?)
///     .with_size(NonZeroUsize::new(32).unwrap())
///     .with_acquire_timeout(Duration::from_secs(2));
/// assert_eq!(options.size().get(), 32);
/// assert_eq!(StoreOptions::default().acquire_timeout(), Duration::from_secs(5));
/// # Ok::<(), workmail_org_stores::NamespaceError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct StoreOptions {
    namespace: Option<Namespace>,
    size: NonZeroUsize,
    acquire_timeout: Duration,
}

impl StoreOptions {
    /// The default size: 10 connections.
    pub const DEFAULT_SIZE: NonZeroUsize = match NonZeroUsize::new(10) {
        Some(size) => size,
        None => unreachable!(),
    };

    /// The default acquire timeout: 5 seconds.
    pub const DEFAULT_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

    /// With the tables in `namespace`.
    #[must_use]
    pub fn with_namespace(mut self, namespace: Namespace) -> Self {
        self.namespace = Some(namespace);
        self
    }

    /// The namespace of the tables, if not the default.
    pub fn namespace(&self) -> Option<&Namespace> {
        self.namespace.as_ref()
    }

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
    #[cfg_attr(not(any(feature = "sqlite", feature = "postgres")), allow(dead_code))]
    pub(crate) fn apply<M: Manager>(&self, builder: PoolBuilder<M>) -> PoolBuilder<M> {
        builder
            .max_size(self.size.get())
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(self.acquire_timeout))
            .create_timeout(Some(self.acquire_timeout))
            .recycle_timeout(Some(self.acquire_timeout))
    }
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            namespace: None,
            size: Self::DEFAULT_SIZE,
            acquire_timeout: Self::DEFAULT_ACQUIRE_TIMEOUT,
        }
    }
}

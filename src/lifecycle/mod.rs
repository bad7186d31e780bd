//! Organization lifecycle.

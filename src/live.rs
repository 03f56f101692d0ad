//! Live mode: kubedojo against a real cluster (a local kind cluster by
//! default). Owns everything asynchronous and networked: the kube client
//! for an explicit context, listing a cluster into a `ClusterModel`,
//! exercise setup and reset by server-side apply, live probes (access
//! reviews, connectivity by exec, pod placement) and the kind lifecycle.
//!
//! The rest of kubedojo is synchronous: every entry point here blocks, on a
//! tokio runtime this module owns (`session::Session`). Checkers never know
//! whether their model came from files or from a cluster.

pub mod error;
pub mod fetch;
pub mod fixtures;
pub mod grade;
pub mod kind;
pub mod probe;
pub mod session;
pub mod target;

pub use error::LiveError;
pub use grade::{LiveReport, grade_live};
pub use session::Session;
pub use target::{DEFAULT_CONTEXT, Target};

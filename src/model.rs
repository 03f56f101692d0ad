//! The cluster model and everything it takes to build one from files:
//! YAML with positions, kinds 1.36 serves, field paths, typed objects.
//! Knows nothing of engines, checkers or terminals.

pub mod cluster;
pub mod de;
pub mod kinds;
pub mod load;
pub mod node;
pub mod object;
pub mod path;
pub mod problem;
pub mod yaml;

pub use cluster::{ClusterModel, ModelKind, Object, Sourced, Typed};
pub use object::{Location, ObjectRef, Origin};
pub use path::FieldPath;
pub use problem::{Problem, ProblemCode};

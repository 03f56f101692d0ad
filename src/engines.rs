//! Kubernetes semantics, written once and tested against upstream: pure
//! functions over typed objects. No I/O, no terminal, no lessons.

pub mod podsec;
pub mod quantity;
pub mod rbac;
pub mod tls;

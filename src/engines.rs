//! Kubernetes semantics, written once and tested against upstream: pure
//! functions over typed objects. No I/O, no terminal, no lessons.

pub mod netpol;
pub mod quantity;
pub mod selector;

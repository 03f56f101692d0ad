//! Kubernetes semantics, written once and tested against upstream: pure
//! functions over typed objects. No I/O, no terminal, no lessons.

pub mod admission;
pub mod authn;
pub mod netpol;
pub mod pod_resources;
pub mod podsec;
pub mod quantity;
pub mod quota;
pub mod rbac;
pub mod scheduling;
pub mod selector;
pub mod tls;

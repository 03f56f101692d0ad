//! Admission control offline: ValidatingAdmissionPolicy evaluation with
//! CEL (policies, bindings, parameters, match conditions, variables,
//! validations, validationActions, failurePolicy), admission webhook
//! matching and failure behaviour, and the built-in plugin chain as data.
//!
//! Pure: a `ClusterModel` and a `Request` in, a verdict with its reasons
//! out. See each submodule for the upstream code it follows.

pub mod cel;
pub mod chain;
mod k8s_lib;
pub mod matching;
pub mod policy;
pub mod request;
pub mod webhook;

#[cfg(test)]
mod tests;

pub use policy::{Decision, Denial, Verdict, evaluate};
pub use request::{Cluster, Operation, Request, UserInfo};

//! Grading: checkers are small pure functions of (parameters, cluster
//! model) that ask the engines a question and explain the answer. An
//! exercise lists checks by checker name; `grade` runs them all and scores
//! each part, as the real exam gives credit per part of a task.

pub mod admission;
pub mod audit;
pub mod authn;
pub mod basic;
pub mod certs;
pub mod grade;
pub mod live_defaults;
pub mod netpol;
pub mod podsec;
pub mod prove;
pub mod quota;
pub mod rbac;
pub mod registry;
pub mod run;
pub mod scheduling;
#[cfg(test)]
mod testkit;
pub mod tls;

pub use grade::{Finding, Report, grade};
pub use registry::{Checker, Ctx, Outcome, checker};

//! RBAC authorization as the Kubernetes API server decides it: which
//! bindings apply to a user, which roles they grant, whether a rule allows
//! a request, ClusterRole aggregation, the API server's default roles and
//! bindings, explanations (what allowed a request; when denied, the nearest
//! misses), the rules `kubectl auth can-i --list` prints, who may make a
//! request (the subject locator), and kubectl's resolution of resource
//! type names.
//!
//! Pure: typed objects in, typed answers out.

pub mod attributes;
pub mod authorizer;
pub mod defaults;
pub mod explain;
#[cfg(test)]
mod fixtures;
pub mod list;
pub mod matching;
pub mod policy;
pub mod privilege;
pub mod resolve;
pub mod subjects;

pub use attributes::{Attributes, UserInfo};
pub use authorizer::{Decision, Grant, Matched, applies_to, applies_to_user};
pub use explain::{Explanation, Miss, explain};
pub use matching::{rule_allows, rules_allow};
pub use policy::{BindingDef, Policy, RoleDef};
pub use resolve::{ResourceType, resolve};

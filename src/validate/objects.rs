//! The API server's object validation (pkg/apis/*/validation), per kind,
//! for the kinds the curriculum uses. Each kind's rules live in their own
//! module; this file dispatches and adds the rules every object shares.

mod networkpolicy;

use super::field::{FieldError, validate_object_meta};
use crate::model::Typed;
use crate::model::kinds::KindInfo;

/// Every object-validation error for a new object of this kind.
pub fn validate(typed: &Typed, info: &KindInfo) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if let Some(meta) = typed.metadata() {
        errs.extend(validate_object_meta(meta, info.kind, info.namespaced));
    }
    // One arm per kind with its own rules (pkg/apis/<group>/validation).
    #[allow(clippy::single_match)]
    match typed {
        Typed::NetworkPolicy(np) => errs.extend(networkpolicy::validate(np)),
        _ => {}
    }
    errs
}

/// A teaching hint for an error, where we have one.
pub fn hint_for(e: &FieldError) -> Option<String> {
    let path = e.path.to_string();
    if path == "metadata.name" && e.kind == super::field::ErrorType::Invalid {
        return Some(
            "names use lower-case letters, digits and '-' (and '.' for most kinds)".into(),
        );
    }
    None
}

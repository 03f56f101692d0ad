//! kubedojo: learn and rehearse the Kubernetes CKA and CKS exams in a terminal.
//!
//! ```text
//! main ─► cli ─┬─► tui ──────────────┐
//!              ├─► live              │
//!              ├─► progress          │
//!              ├─► content           ▼
//!              └─► checks ─► engines ─► model
//!                    └────► validate ─┘
//! ```
//! `model` loads YAML into typed objects with source positions; `validate`
//! judges them as a 1.36 API server would; `engines` hold Kubernetes
//! semantics; `checks` turn engine answers into findings.

pub mod checks;
pub mod cli;
pub mod content;
pub mod engines;
pub mod live;
pub mod model;
pub mod progress;
pub mod tui;
pub mod validate;

//! The default ClusterRoles and ClusterRoleBindings every API server
//! creates (upstream's bootstrap policy, as recorded in its test data),
//! plus the binding kubeadm adds for its admin kubeconfig,
//! embedded in the binary and loaded once through the same loader as the
//! learner's files, so they are ordinary model objects with a file and line.

use crate::model::ClusterModel;
use crate::model::load::{self, Input};
use crate::model::yaml::Limits;
use std::sync::OnceLock;

pub const CLUSTER_ROLES_FILE: &str = "assets/k8s/bootstrap-cluster-roles.yaml";
pub const CLUSTER_ROLE_BINDINGS_FILE: &str = "assets/k8s/bootstrap-cluster-role-bindings.yaml";
pub const KUBEADM_BINDINGS_FILE: &str = "assets/k8s/kubeadm-cluster-role-bindings.yaml";

static CLUSTER_ROLES: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/k8s/bootstrap-cluster-roles.yaml"
));
static CLUSTER_ROLE_BINDINGS: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/k8s/bootstrap-cluster-role-bindings.yaml"
));

static KUBEADM_BINDINGS: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/k8s/kubeadm-cluster-role-bindings.yaml"
));

/// The embedded files, as loader inputs.
pub fn inputs() -> Vec<Input> {
    vec![
        Input::new(CLUSTER_ROLES_FILE, CLUSTER_ROLES),
        Input::new(CLUSTER_ROLE_BINDINGS_FILE, CLUSTER_ROLE_BINDINGS),
        Input::new(KUBEADM_BINDINGS_FILE, KUBEADM_BINDINGS),
    ]
}

/// The defaults as a model, parsed on first use.
pub fn bootstrap() -> &'static ClusterModel {
    static MODEL: OnceLock<ClusterModel> = OnceLock::new();
    MODEL.get_or_init(load_model)
}

fn load_model() -> ClusterModel {
    let limits = Limits::default();
    let mut objects = Vec::new();
    for input in inputs() {
        // The embedded files are tested to parse; should one ever fail the
        // defaults are simply absent rather than a panic.
        if let Ok(loaded) = load::parse_input(&input, &limits) {
            objects.extend(loaded.objects);
        }
    }
    let _ = load::resolve_kinds(&mut objects);
    load::build_model(&objects)
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding};

    #[test]
    fn embedded_defaults_load_cleanly() {
        let v = crate::validate::validate_inputs(&inputs()).unwrap();
        assert!(v.is_valid(), "{:?}", v.problems);
        let m = bootstrap();
        assert_eq!(m.of::<ClusterRole>().count(), 31);
        assert_eq!(m.of::<ClusterRoleBinding>().count(), 13);
        let admin = m.find::<ClusterRoleBinding>(None, "cluster-admin").unwrap();
        assert_eq!(admin.role_ref.name, "cluster-admin");
        assert_eq!(admin.id().to_string(), "ClusterRoleBinding/cluster-admin");
        let loc = admin.locate(&crate::model::FieldPath::root()).unwrap();
        assert_eq!(loc.file, CLUSTER_ROLE_BINDINGS_FILE);
    }
}

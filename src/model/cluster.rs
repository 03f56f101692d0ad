//! The cluster model: every object the learner wrote (or the cluster
//! holds), typed with k8s-openapi where the engines need types.

use super::object::{Location, ObjectRef, Origin};
use super::path::FieldPath;
use k8s_openapi::Metadata;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use std::sync::Arc;

macro_rules! typed_kinds {
    ($($variant:ident => $ty:ty),* $(,)?) => {
        /// An object's body: a k8s-openapi type for the kinds engines and
        /// checkers read, JSON for the rest. Shared (`Arc`), so building a
        /// model from validated objects copies no object bodies.
        #[derive(Clone, Debug)]
        pub enum Typed {
            $($variant(Arc<$ty>),)*
            Other(serde_json::Value),
        }

        $(
            impl ModelKind for $ty {
                fn get(t: &Typed) -> Option<&Self> {
                    match t {
                        Typed::$variant(x) => Some(x),
                        _ => None,
                    }
                }
                fn wrap(self) -> Typed {
                    Typed::$variant(Arc::new(self))
                }
            }
        )*

        impl Typed {
            /// Decode JSON for `api_version`/`kind` into its type.
            pub fn decode(api_version: &str, kind: &str, json: serde_json::Value) -> Result<Typed, serde_json::Error> {
                $(
                    if api_version == <$ty as k8s_openapi::Resource>::API_VERSION
                        && kind == <$ty as k8s_openapi::Resource>::KIND
                    {
                        return serde_json::from_value::<$ty>(json).map(|x| Typed::$variant(Arc::new(x)));
                    }
                )*
                Ok(Typed::Other(json))
            }

            /// Decode straight from the source tree (see `model::de`).
            pub fn from_node(api_version: &str, kind: &str, node: &super::node::Node) -> Result<Typed, super::de::DeError> {
                $(
                    if api_version == <$ty as k8s_openapi::Resource>::API_VERSION
                        && kind == <$ty as k8s_openapi::Resource>::KIND
                    {
                        return super::de::from_node::<$ty>(node).map(|x| Typed::$variant(Arc::new(x)));
                    }
                )*
                Ok(Typed::Other(node.to_json()))
            }

            pub fn metadata_mut(&mut self) -> Option<&mut ObjectMeta> {
                match self {
                    $(Typed::$variant(x) => Some(Arc::make_mut(x).metadata_mut()),)*
                    Typed::Other(_) => None,
                }
            }

            /// The object as the API server would print it.
            pub fn to_json(&self) -> serde_json::Value {
                match self {
                    $(Typed::$variant(x) => serde_json::to_value(&**x).unwrap_or_default(),)*
                    Typed::Other(v) => v.clone(),
                }
            }

            pub fn metadata(&self) -> Option<&ObjectMeta> {
                match self {
                    $(Typed::$variant(x) => Some(x.metadata()),)*
                    Typed::Other(_) => None,
                }
            }
        }
    };
}

use k8s_openapi::api::{
    admissionregistration::v1 as admreg, apps::v1 as apps, batch::v1 as batch,
    certificates::v1 as cert, core::v1 as core, networking::v1 as net, node::v1 as node,
    rbac::v1 as rbac, scheduling::v1 as sched, storage::v1 as storage,
};

typed_kinds! {
    Namespace => core::Namespace,
    Pod => core::Pod,
    Node => core::Node,
    Service => core::Service,
    ServiceAccount => core::ServiceAccount,
    Secret => core::Secret,
    ConfigMap => core::ConfigMap,
    PersistentVolumeClaim => core::PersistentVolumeClaim,
    PersistentVolume => core::PersistentVolume,
    ResourceQuota => core::ResourceQuota,
    LimitRange => core::LimitRange,
    PodTemplate => core::PodTemplate,
    ReplicationController => core::ReplicationController,
    Deployment => apps::Deployment,
    ReplicaSet => apps::ReplicaSet,
    StatefulSet => apps::StatefulSet,
    DaemonSet => apps::DaemonSet,
    Job => batch::Job,
    CronJob => batch::CronJob,
    NetworkPolicy => net::NetworkPolicy,
    Ingress => net::Ingress,
    Role => rbac::Role,
    ClusterRole => rbac::ClusterRole,
    RoleBinding => rbac::RoleBinding,
    ClusterRoleBinding => rbac::ClusterRoleBinding,
    CertificateSigningRequest => cert::CertificateSigningRequest,
    PriorityClass => sched::PriorityClass,
    StorageClass => storage::StorageClass,
    RuntimeClass => node::RuntimeClass,
    ValidatingAdmissionPolicy => admreg::ValidatingAdmissionPolicy,
    ValidatingAdmissionPolicyBinding => admreg::ValidatingAdmissionPolicyBinding,
    ValidatingWebhookConfiguration => admreg::ValidatingWebhookConfiguration,
    MutatingWebhookConfiguration => admreg::MutatingWebhookConfiguration,
    CustomResourceDefinition => k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition,
}

/// A k8s-openapi type the model keeps typed.
pub trait ModelKind: k8s_openapi::Resource + Sized {
    fn get(t: &Typed) -> Option<&Self>;
    fn wrap(self) -> Typed;
}

#[derive(Clone, Debug)]
pub struct Object {
    pub id: ObjectRef,
    pub typed: Typed,
    /// None for objects that did not come from a file (live snapshots,
    /// built-in defaults).
    pub origin: Option<Arc<Origin>>,
}

impl Object {
    /// An object built in code: its identity comes from its metadata.
    pub fn new<T: ModelKind + Metadata<Ty = ObjectMeta>>(mut obj: T) -> Object {
        if super::kinds::find(T::API_VERSION, T::KIND).is_some_and(|k| k.namespaced) {
            obj.metadata_mut()
                .namespace
                .get_or_insert_with(|| "default".to_string());
        }
        let meta = obj.metadata();
        let id = ObjectRef {
            api_version: T::API_VERSION.to_string(),
            kind: T::KIND.to_string(),
            namespace: meta.namespace.clone(),
            name: meta.name.clone().unwrap_or_default(),
        };
        Object {
            id,
            typed: obj.wrap(),
            origin: None,
        }
    }

    pub fn locate(&self, path: &FieldPath) -> Option<Location> {
        self.origin.as_ref().map(|o| o.locate(path))
    }
}

/// One typed object with the record it came from.
#[derive(Clone, Copy, Debug)]
pub struct Sourced<'a, T> {
    pub obj: &'a T,
    pub object: &'a Object,
}

impl<T> std::ops::Deref for Sourced<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.obj
    }
}

impl<T> Sourced<'_, T> {
    pub fn id(&self) -> &ObjectRef {
        &self.object.id
    }

    pub fn locate(&self, path: &FieldPath) -> Option<Location> {
        self.object.locate(path)
    }
}

#[derive(Clone, Debug, Default)]
pub struct ClusterModel {
    pub objects: Vec<Object>,
}

impl ClusterModel {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, object: Object) {
        self.objects.push(object);
    }

    pub fn with<T: ModelKind + Metadata<Ty = ObjectMeta>>(mut self, obj: T) -> Self {
        self.push(Object::new(obj));
        self
    }

    /// Every object of type `T`, in load order.
    pub fn of<T: ModelKind + 'static>(&self) -> impl Iterator<Item = Sourced<'_, T>> {
        self.objects
            .iter()
            .filter_map(|o| T::get(&o.typed).map(|obj| Sourced { obj, object: o }))
    }

    /// The object of type `T` with this namespace and name.
    pub fn find<T: ModelKind + 'static>(
        &self,
        namespace: Option<&str>,
        name: &str,
    ) -> Option<Sourced<'_, T>> {
        self.of::<T>()
            .find(|s| s.object.id.name == name && s.object.id.namespace.as_deref() == namespace)
    }

    pub fn len(&self) -> usize {
        self.objects.len()
    }

    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }

    /// Add another model's objects after this one's.
    pub fn extend(&mut self, other: ClusterModel) {
        self.objects.extend(other.objects);
    }
}

//! Read a cluster into a [`ClusterModel`]: one list request per kind, all
//! kinds at once, every namespace. Objects come back typed exactly as from
//! files (the same k8s-openapi types), without a file position.

use super::error::LiveError;
use super::session::{CALL_TIMEOUT, Session};
use crate::model::kinds::{self, KindInfo, Served};
use crate::model::{ClusterModel, Object, ObjectRef, Typed};
use kube::api::{Api, ApiResource, DynamicObject, ListParams};

/// A kind to list: a kind the 1.36 registry knows, or a custom resource
/// resolved through discovery.
#[derive(Clone, Debug)]
pub struct ListKind {
    pub resource: ApiResource,
    pub namespaced: bool,
}

impl ListKind {
    pub fn from_info(info: &KindInfo) -> ListKind {
        ListKind {
            resource: ApiResource {
                group: info.group.to_string(),
                version: info.version.to_string(),
                api_version: info.api_version.to_string(),
                kind: info.kind.to_string(),
                plural: info.plural.to_string(),
            },
            namespaced: info.namespaced,
        }
    }

    pub fn label(&self) -> String {
        format!("{} {}", self.resource.api_version, self.resource.kind)
    }
}

/// `Kind` (the preferred served version), `apiVersion/Kind`, or
/// `apiVersion Kind`, resolved against what Kubernetes 1.36 serves.
pub fn resolve_kind(name: &str) -> Option<&'static KindInfo> {
    let name = name.trim();
    if let Some((api_version, kind)) = name.rsplit_once([' ', '/'])
        && let Some(info) = kinds::find(api_version.trim(), kind)
    {
        return Some(info);
    }
    kinds::versions_of(name).find(|k| k.served == Served::Yes)
}

/// List every kind in `kinds` concurrently into one model. One request per
/// kind, no paging: an API server only pages when asked to (`limit`).
pub fn list(session: &Session, kinds: &[ListKind]) -> Result<ClusterModel, LiveError> {
    let client = session.client.clone();
    let lists = session.block_on(async {
        let requests = kinds.iter().map(|k| {
            let api: Api<DynamicObject> = Api::all_with(client.clone(), &k.resource);
            async move {
                let r = tokio::time::timeout(CALL_TIMEOUT, api.list(&ListParams::default())).await;
                (k, r)
            }
        });
        futures::future::join_all(requests).await
    });
    let mut model = ClusterModel::new();
    for (kind, result) in lists {
        let list = match result {
            Err(_) => return Err(session.at.timed_out(CALL_TIMEOUT)),
            Ok(Err(kube::Error::Api(s))) if s.code == 404 => {
                return Err(LiveError::NotServed {
                    context: session.at.context.clone(),
                    kind: kind.label(),
                    reason: "its API is not installed (a custom resource needs its CustomResourceDefinition)".into(),
                });
            }
            Ok(Err(e)) => return Err(session.classify(&e)),
            Ok(Ok(list)) => list,
        };
        for item in list.items {
            if let Some(o) = to_object(kind, item) {
                model.push(o);
            }
        }
    }
    Ok(model)
}

/// A listed item as a model object. List items carry no apiVersion/kind
/// (the list does), so they are set from the kind listed.
pub fn to_object(kind: &ListKind, item: DynamicObject) -> Option<Object> {
    let name = item.metadata.name.clone()?;
    let namespace = item.metadata.namespace.clone();
    let mut json = serde_json::to_value(&item).ok()?;
    let map = json.as_object_mut()?;
    map.insert(
        "apiVersion".into(),
        kind.resource.api_version.clone().into(),
    );
    map.insert("kind".into(), kind.resource.kind.clone().into());
    let typed = Typed::decode(&kind.resource.api_version, &kind.resource.kind, json).ok()?;
    Some(Object {
        id: ObjectRef {
            api_version: kind.resource.api_version.clone(),
            kind: kind.resource.kind.clone(),
            namespace: if kind.namespaced { namespace } else { None },
            name,
        },
        typed,
        origin: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_resolve_by_name_or_api_version() {
        assert_eq!(
            resolve_kind("NetworkPolicy").unwrap().api_version,
            "networking.k8s.io/v1"
        );
        assert_eq!(
            resolve_kind("apps/v1/Deployment").unwrap().plural,
            "deployments"
        );
        assert_eq!(resolve_kind("v1 Pod").unwrap().plural, "pods");
        assert_eq!(resolve_kind("v1/Pod").unwrap().group, "");
        assert!(resolve_kind("Widget").is_none());
    }

    #[test]
    fn a_list_item_becomes_a_typed_object_without_a_file() {
        let info = resolve_kind("Pod").unwrap();
        let item: DynamicObject = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "web", "namespace": "prod", "labels": {"app": "web"}},
            "spec": {"containers": [{"name": "c", "image": "nginx"}]},
            "status": {"podIP": "10.244.1.5"}
        }))
        .unwrap();
        let o = to_object(&ListKind::from_info(info), item).unwrap();
        assert_eq!(o.id.to_string(), "Pod/prod/web");
        assert!(o.origin.is_none());
        let Typed::Pod(p) = &o.typed else {
            panic!("typed Pod expected")
        };
        assert_eq!(
            p.status.as_ref().unwrap().pod_ip.as_deref(),
            Some("10.244.1.5")
        );
    }
}

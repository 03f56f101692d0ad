//! kubeconfig files as client-go reads them: loading the `v1` `Config`
//! (lists of named clusters, users and contexts, turned into maps by name),
//! `clientcmd.Validate`, and the effective configuration kubectl builds
//! (`DirectClientConfig`): which context, cluster, user and namespace a
//! command uses, and the errors `ConfirmUsable` reports.
//!
//! upstream (staging/src/k8s.io/client-go/tools/clientcmd): api/v1/types.go
//! (field names), api/v1/conversion.go (duplicate names), validation.go
//! (`Validate`, `validateContext`, `validateAuthInfo`,
//! `validateClusterInfo`), client_config.go (`getContext`,
//! `ConfirmUsable`, `Namespace`), and kubectl's `ClusterDefaults` (a
//! missing cluster becomes `http://localhost:8080`).
//!
//! Like client-go, loading ignores fields it does not know (a `namespace`
//! written beside a context's `name` is silently dropped); unlike it, the
//! ignored fields are listed so a checker can say why a setting had no
//! effect. Files the kubeconfig points to cannot be read offline: they are
//! reported, never opened.

use base64::Engine as _;
use serde_json::Value as J;

/// The server kubectl falls back to when the context names no cluster it
/// knows (clientcmd `ClusterDefaults`, without `KUBERNETES_MASTER`).
pub const DEFAULT_SERVER: &str = "http://localhost:8080";

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cluster {
    pub server: String,
    pub tls_server_name: String,
    pub insecure_skip_tls_verify: bool,
    pub certificate_authority: String,
    pub certificate_authority_data: Vec<u8>,
    pub proxy_url: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Exec {
    pub command: String,
    pub api_version: String,
    /// Names of `env` entries (an empty one is an error).
    pub env_names: Vec<String>,
    pub interactive_mode: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuthInfo {
    pub client_certificate: String,
    pub client_certificate_data: Vec<u8>,
    pub client_key: String,
    pub client_key_data: Vec<u8>,
    pub token: String,
    pub token_file: String,
    pub impersonate: String,
    pub impersonate_uid: String,
    pub impersonate_groups: Vec<String>,
    pub impersonate_user_extra: bool,
    pub username: String,
    pub password: String,
    pub auth_provider: bool,
    pub exec: Option<Exec>,
}

impl AuthInfo {
    /// How this user authenticates, as client-go picks it.
    pub fn method(&self) -> Credential {
        if self.exec.is_some() {
            Credential::Exec
        } else if self.auth_provider {
            Credential::AuthProvider
        } else if !self.client_certificate.is_empty() || !self.client_certificate_data.is_empty() {
            Credential::ClientCertificate
        } else if !self.token.is_empty() || !self.token_file.is_empty() {
            Credential::Token
        } else if !self.username.is_empty() || !self.password.is_empty() {
            Credential::Basic
        } else {
            Credential::None
        }
    }
}

/// The kind of credential a user entry holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Credential {
    ClientCertificate,
    Token,
    Basic,
    Exec,
    AuthProvider,
    /// Nothing: requests go out without credentials (anonymous).
    None,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    pub cluster: String,
    pub user: String,
    pub namespace: String,
}

/// An entry of one of the three lists, with its position in the list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Named<T> {
    pub name: String,
    pub index: usize,
    pub item: T,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Kubeconfig {
    pub current_context: String,
    pub clusters: Vec<Named<Cluster>>,
    pub users: Vec<Named<AuthInfo>>,
    pub contexts: Vec<Named<Context>>,
    /// Fields client-go does not know and drops, as paths
    /// (`contexts[0].namespace`).
    pub ignored: Vec<String>,
    /// `preferences` or `extensions` hold something (for `IsConfigEmpty`).
    pub has_other: bool,
}

/// Go's `encoding/json` type names, for messages.
fn json_type(v: &J) -> &'static str {
    match v {
        J::Null => "null",
        J::Bool(_) => "bool",
        J::Number(_) => "number",
        J::String(_) => "string",
        J::Array(_) => "array",
        J::Object(_) => "object",
    }
}

struct Loader {
    ignored: Vec<String>,
}

type Load<T> = Result<T, String>;

impl Loader {
    fn object<'a>(
        &mut self,
        v: &'a J,
        path: &str,
        known: &[&str],
    ) -> Load<Option<&'a serde_json::Map<String, J>>> {
        match v {
            J::Null => Ok(None),
            J::Object(m) => {
                for k in m.keys() {
                    if !known.contains(&k.as_str()) {
                        self.ignored.push(join(path, k));
                    }
                }
                Ok(Some(m))
            }
            other => Err(format!(
                "{}: cannot unmarshal {} into an object",
                shown(path),
                json_type(other)
            )),
        }
    }
}

fn shown(path: &str) -> &str {
    if path.is_empty() { "the file" } else { path }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn string(m: &serde_json::Map<String, J>, key: &str, path: &str) -> Load<String> {
    match m.get(key) {
        None | Some(J::Null) => Ok(String::new()),
        Some(J::String(s)) => Ok(s.clone()),
        Some(other) => Err(format!(
            "{}: cannot unmarshal {} into a string",
            join(path, key),
            json_type(other)
        )),
    }
}

fn boolean(m: &serde_json::Map<String, J>, key: &str, path: &str) -> Load<bool> {
    match m.get(key) {
        None | Some(J::Null) => Ok(false),
        Some(J::Bool(b)) => Ok(*b),
        Some(other) => Err(format!(
            "{}: cannot unmarshal {} into a bool",
            join(path, key),
            json_type(other)
        )),
    }
}

fn strings(m: &serde_json::Map<String, J>, key: &str, path: &str) -> Load<Vec<String>> {
    match m.get(key) {
        None | Some(J::Null) => Ok(Vec::new()),
        Some(J::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, x)| match x {
                J::String(s) => Ok(s.clone()),
                other => Err(format!(
                    "{}[{i}]: cannot unmarshal {} into a string",
                    join(path, key),
                    json_type(other)
                )),
            })
            .collect(),
        Some(other) => Err(format!(
            "{}: cannot unmarshal {} into a list of strings",
            join(path, key),
            json_type(other)
        )),
    }
}

/// A `[]byte` field: JSON base64 (standard alphabet, with padding; Go's
/// decoder skips `\r` and `\n` only).
fn bytes(m: &serde_json::Map<String, J>, key: &str, path: &str) -> Load<Vec<u8>> {
    let p = join(path, key);
    match m.get(key) {
        None | Some(J::Null) => Ok(Vec::new()),
        Some(J::String(s)) => {
            let clean: String = s.chars().filter(|c| *c != '\r' && *c != '\n').collect();
            base64::engine::general_purpose::STANDARD
                .decode(clean.as_bytes())
                .map_err(|_| {
                    let at = s
                        .char_indices()
                        .find(|(_, c)| {
                            !(c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '\r' | '\n'))
                        })
                        .map(|(i, _)| format!(" (illegal base64 data at input byte {i})"))
                        .unwrap_or_default();
                    format!(
                        "{p} is not base64{at}: the -data fields hold the file's bytes base64-encoded on one line (base64 -w0 FILE)"
                    )
                })
        }
        Some(other) => Err(format!(
            "{p}: cannot unmarshal {} into base64 bytes",
            json_type(other)
        )),
    }
}

fn has_content(v: Option<&J>) -> bool {
    match v {
        None | Some(J::Null) => false,
        Some(J::Object(m)) => !m.is_empty(),
        Some(J::Array(a)) => !a.is_empty(),
        Some(_) => true,
    }
}

const CONFIG_FIELDS: &[&str] = &[
    "apiVersion",
    "kind",
    "preferences",
    "clusters",
    "users",
    "contexts",
    "current-context",
    "extensions",
];
const CLUSTER_FIELDS: &[&str] = &[
    "server",
    "tls-server-name",
    "insecure-skip-tls-verify",
    "certificate-authority",
    "certificate-authority-data",
    "proxy-url",
    "disable-compression",
    "extensions",
];
const USER_FIELDS: &[&str] = &[
    "client-certificate",
    "client-certificate-data",
    "client-key",
    "client-key-data",
    "token",
    "tokenFile",
    "as",
    "as-uid",
    "as-groups",
    "as-user-extra",
    "username",
    "password",
    "auth-provider",
    "exec",
    "extensions",
];
const CONTEXT_FIELDS: &[&str] = &["cluster", "user", "namespace", "extensions"];
const EXEC_FIELDS: &[&str] = &[
    "command",
    "args",
    "env",
    "apiVersion",
    "installHint",
    "provideClusterInfo",
    "interactiveMode",
    "pluginPolicy",
];

/// One of the three lists: each entry `{name, <item_key>: {...}}`; a name
/// used twice is a load error (api/v1/conversion.go).
fn named_list<T>(
    ld: &mut Loader,
    root: &serde_json::Map<String, J>,
    list: &str,
    item_key: &str,
    go_type: &str,
    mut item: impl FnMut(&mut Loader, &serde_json::Map<String, J>, &str) -> Load<T>,
) -> Load<Vec<Named<T>>> {
    let items = match root.get(list) {
        None | Some(J::Null) => return Ok(Vec::new()),
        Some(J::Array(a)) => a,
        Some(other) => {
            return Err(format!(
                "{list}: cannot unmarshal {} into a list of {{name, {item_key}}} entries",
                json_type(other)
            ));
        }
    };
    let mut out: Vec<Named<T>> = Vec::new();
    for (i, entry) in items.iter().enumerate() {
        let path = format!("{list}[{i}]");
        let Some(m) = ld.object(entry, &path, &["name", item_key])? else {
            continue;
        };
        let name = string(m, "name", &path)?;
        let inner_path = join(&path, item_key);
        let empty = serde_json::Map::new();
        let inner = match m.get(item_key) {
            None | Some(J::Null) => &empty,
            Some(v) => ld.object(v, &inner_path, &[])?.unwrap_or(&empty),
        };
        // `object` above listed every key as ignored; the item parser
        // knows which ones are real.
        ld.ignored
            .retain(|p| !p.starts_with(&format!("{inner_path}.")));
        let value = item(ld, inner, &inner_path)?;
        if out.iter().any(|n| n.name == name) {
            return Err(format!(
                "error converting *[]{go_type} into *map[string]*api.{}: duplicate name \"{name}\" in list",
                go_type.trim_start_matches("Named")
            ));
        }
        out.push(Named {
            name,
            index: i,
            item: value,
        });
    }
    Ok(out)
}

fn note_unknown(ld: &mut Loader, m: &serde_json::Map<String, J>, path: &str, known: &[&str]) {
    for k in m.keys() {
        if !known.contains(&k.as_str()) {
            ld.ignored.push(join(path, k));
        }
    }
}

fn cluster(ld: &mut Loader, m: &serde_json::Map<String, J>, path: &str) -> Load<Cluster> {
    note_unknown(ld, m, path, CLUSTER_FIELDS);
    Ok(Cluster {
        server: string(m, "server", path)?,
        tls_server_name: string(m, "tls-server-name", path)?,
        insecure_skip_tls_verify: boolean(m, "insecure-skip-tls-verify", path)?,
        certificate_authority: string(m, "certificate-authority", path)?,
        certificate_authority_data: bytes(m, "certificate-authority-data", path)?,
        proxy_url: string(m, "proxy-url", path)?,
    })
}

fn auth_info(ld: &mut Loader, m: &serde_json::Map<String, J>, path: &str) -> Load<AuthInfo> {
    note_unknown(ld, m, path, USER_FIELDS);
    let exec = match m.get("exec") {
        None | Some(J::Null) => None,
        Some(v) => {
            let ep = join(path, "exec");
            match ld.object(v, &ep, EXEC_FIELDS)? {
                None => None,
                Some(e) => {
                    let env_names = match e.get("env") {
                        Some(J::Array(items)) => items
                            .iter()
                            .map(|x| {
                                x.get("name")
                                    .and_then(J::as_str)
                                    .unwrap_or_default()
                                    .to_string()
                            })
                            .collect(),
                        _ => Vec::new(),
                    };
                    Some(Exec {
                        command: string(e, "command", &ep)?,
                        api_version: string(e, "apiVersion", &ep)?,
                        env_names,
                        interactive_mode: string(e, "interactiveMode", &ep)?,
                    })
                }
            }
        }
    };
    Ok(AuthInfo {
        client_certificate: string(m, "client-certificate", path)?,
        client_certificate_data: bytes(m, "client-certificate-data", path)?,
        client_key: string(m, "client-key", path)?,
        client_key_data: bytes(m, "client-key-data", path)?,
        token: string(m, "token", path)?,
        token_file: string(m, "tokenFile", path)?,
        impersonate: string(m, "as", path)?,
        impersonate_uid: string(m, "as-uid", path)?,
        impersonate_groups: strings(m, "as-groups", path)?,
        impersonate_user_extra: has_content(m.get("as-user-extra")),
        username: string(m, "username", path)?,
        password: string(m, "password", path)?,
        auth_provider: has_content(m.get("auth-provider")),
        exec,
    })
}

fn context(ld: &mut Loader, m: &serde_json::Map<String, J>, path: &str) -> Load<Context> {
    note_unknown(ld, m, path, CONTEXT_FIELDS);
    Ok(Context {
        cluster: string(m, "cluster", path)?,
        user: string(m, "user", path)?,
        namespace: string(m, "namespace", path)?,
    })
}

/// Load a kubeconfig from its JSON form (YAML read as JSON, as client-go
/// reads it). `Err` is why kubectl cannot load the file at all.
pub fn load(v: &J) -> Result<Kubeconfig, String> {
    let mut ld = Loader {
        ignored: Vec::new(),
    };
    let empty = serde_json::Map::new();
    let root = ld.object(v, "", CONFIG_FIELDS)?.unwrap_or(&empty);
    if let Some(kind) = root.get("kind").and_then(J::as_str)
        && kind != "Config"
    {
        return Err(format!(
            "kind is \"{kind}\": a kubeconfig is `kind: Config` (apiVersion: v1)"
        ));
    }
    let clusters = named_list(
        &mut ld,
        root,
        "clusters",
        "cluster",
        "NamedCluster",
        cluster,
    )?;
    let users = named_list(&mut ld, root, "users", "user", "NamedAuthInfo", auth_info)?;
    let contexts = named_list(
        &mut ld,
        root,
        "contexts",
        "context",
        "NamedContext",
        context,
    )?;
    Ok(Kubeconfig {
        current_context: string(root, "current-context", "")?,
        clusters,
        users,
        contexts,
        ignored: ld.ignored,
        has_other: has_content(root.get("preferences")) || has_content(root.get("extensions")),
    })
}

/// `validation.IsDNS1123Label`.
fn is_dns1123_label(s: &str) -> bool {
    let b = s.as_bytes();
    let alnum = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    !b.is_empty()
        && b.len() <= 63
        && alnum(b[0])
        && alnum(b[b.len() - 1])
        && b.iter().all(|&c| alnum(c) || c == b'-')
}

pub const ERR_EMPTY_CONFIG: &str =
    "no configuration has been provided, try setting KUBERNETES_MASTER environment variable";
pub const ERR_EMPTY_CLUSTER: &str = "cluster has no server defined";

impl Kubeconfig {
    pub fn cluster(&self, name: &str) -> Option<&Named<Cluster>> {
        self.clusters.iter().find(|c| c.name == name)
    }

    pub fn user(&self, name: &str) -> Option<&Named<AuthInfo>> {
        self.users.iter().find(|c| c.name == name)
    }

    pub fn context(&self, name: &str) -> Option<&Named<Context>> {
        self.contexts.iter().find(|c| c.name == name)
    }

    /// `clientcmdapi.IsConfigEmpty`.
    pub fn is_empty(&self) -> bool {
        self.clusters.is_empty()
            && self.users.is_empty()
            && self.contexts.is_empty()
            && self.current_context.is_empty()
            && !self.has_other
    }

    /// `clientcmd.Validate`: every problem in the whole file, in file
    /// order (upstream walks maps, so its order varies).
    pub fn validate(&self) -> Vec<String> {
        if self.is_empty() {
            return vec![ERR_EMPTY_CONFIG.into()];
        }
        let mut errs = Vec::new();
        if !self.current_context.is_empty() && self.context(&self.current_context).is_none() {
            errs.push(context_not_found(&self.current_context));
        }
        for c in &self.contexts {
            errs.extend(self.validate_context(&c.name, &c.item));
        }
        for u in &self.users {
            errs.extend(validate_auth_info(&u.name, &u.item));
        }
        for c in &self.clusters {
            errs.extend(validate_cluster_info(&c.name, &c.item));
        }
        errs
    }

    fn validate_context(&self, name: &str, c: &Context) -> Vec<String> {
        let mut errs = Vec::new();
        if name.is_empty() {
            errs.push("empty context name is not allowed".into());
        }
        if c.user.is_empty() {
            errs.push(format!("user was not specified for context \"{name}\""));
        } else if self.user(&c.user).is_none() {
            errs.push(format!(
                "user \"{}\" was not found for context \"{name}\"",
                c.user
            ));
        }
        if c.cluster.is_empty() {
            errs.push(format!("cluster was not specified for context \"{name}\""));
        } else if self.cluster(&c.cluster).is_none() {
            errs.push(format!(
                "cluster \"{}\" was not found for context \"{name}\"",
                c.cluster
            ));
        }
        if !c.namespace.is_empty() && !is_dns1123_label(&c.namespace) {
            errs.push(format!(
                "namespace \"{}\" for context \"{name}\" does not conform to the kubernetes DNS_LABEL rules",
                c.namespace
            ));
        }
        errs
    }

    /// What kubectl uses, given `--context` (`Some`) or the current
    /// context (`None`): `DirectClientConfig.ClientConfig` with kubectl's
    /// cluster defaults.
    pub fn effective(&self, explicit_context: Option<&str>) -> Effective<'_> {
        let (name, required) = match explicit_context {
            Some(n) if !n.is_empty() => (n.to_string(), true),
            _ => (self.current_context.clone(), false),
        };
        let ctx = self.context(&name);
        let mut e = Effective {
            context_name: name.clone(),
            context: ctx,
            cluster_name: ctx.map(|c| c.item.cluster.clone()).unwrap_or_default(),
            cluster: None,
            user_name: ctx.map(|c| c.item.user.clone()).unwrap_or_default(),
            user: None,
            namespace: ctx
                .map(|c| c.item.namespace.clone())
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| "default".into()),
            server: DEFAULT_SERVER.into(),
            errors: Vec::new(),
        };
        if ctx.is_none() && required {
            e.errors.push(format!("context \"{name}\" does not exist"));
            return e;
        }
        e.cluster = self.cluster(&e.cluster_name);
        e.user = self.user(&e.user_name);
        if let Some(c) = e.cluster.filter(|c| !c.item.server.is_empty()) {
            e.server = c.item.server.clone();
        }
        // ConfirmUsable
        if !name.is_empty() && ctx.is_none() {
            e.errors.push(context_not_found(&name));
        }
        let empty_user = AuthInfo::default();
        e.errors.extend(validate_auth_info(
            &e.user_name,
            e.user.map(|u| &u.item).unwrap_or(&empty_user),
        ));
        // The merged cluster starts from kubectl's defaults, so it always
        // has a server; only CA conflicts remain to report.
        let mut merged = e.cluster.map(|c| c.item.clone()).unwrap_or_default();
        merged.server = e.server.clone();
        e.errors
            .extend(validate_cluster_info(&e.cluster_name, &merged));
        e
    }
}

fn context_not_found(name: &str) -> String {
    format!("context was not found for specified context: {name}")
}

/// `validateClusterInfo`, without opening files.
pub fn validate_cluster_info(name: &str, c: &Cluster) -> Vec<String> {
    if *c == Cluster::default() {
        return vec![ERR_EMPTY_CLUSTER.into()];
    }
    let mut errs = Vec::new();
    if c.server.is_empty() {
        if name.is_empty() {
            errs.push("default cluster has no server defined".into());
        } else {
            errs.push(format!("no server found for cluster \"{name}\""));
        }
    }
    if !c.certificate_authority.is_empty() && !c.certificate_authority_data.is_empty() {
        errs.push(format!(
            "certificate-authority-data and certificate-authority are both specified for {name}. certificate-authority-data will override."
        ));
    }
    errs
}

/// `validateAuthInfo`, without opening files.
pub fn validate_auth_info(name: &str, a: &AuthInfo) -> Vec<String> {
    let mut errs = Vec::new();
    let mut methods: Vec<&str> = Vec::new();
    if !a.token.is_empty() {
        methods.push("token");
    }
    if !a.username.is_empty() || !a.password.is_empty() {
        methods.push("basicAuth");
    }
    if !a.client_certificate.is_empty() || !a.client_certificate_data.is_empty() {
        if !a.client_certificate.is_empty() && !a.client_certificate_data.is_empty() {
            errs.push(format!(
                "client-cert-data and client-cert are both specified for {name}. client-cert-data will override."
            ));
        }
        if !a.client_key.is_empty() && !a.client_key_data.is_empty() {
            errs.push(format!(
                "client-key-data and client-key are both specified for {name}; client-key-data will override"
            ));
        }
        if a.client_key.is_empty() && a.client_key_data.is_empty() {
            errs.push(format!(
                "client-key-data or client-key must be specified for {name} to use the clientCert authentication method."
            ));
        }
    }
    if let Some(x) = &a.exec {
        if a.auth_provider {
            errs.push(format!(
                "authProvider cannot be provided in combination with an exec plugin for {name}"
            ));
        }
        if x.command.is_empty() {
            errs.push(format!(
                "command must be specified for {name} to use exec authentication plugin"
            ));
        }
        if x.api_version.is_empty() {
            errs.push(format!(
                "apiVersion must be specified for {name} to use exec authentication plugin"
            ));
        }
        if x.env_names.iter().any(String::is_empty) {
            errs.push(format!(
                "env variable name must be specified for {name} to use exec authentication plugin"
            ));
        }
        match x.interactive_mode.as_str() {
            "" => errs.push(format!(
                "interactiveMode must be specified for {name} to use exec authentication plugin"
            )),
            "Never" | "IfAvailable" | "Always" => {}
            other => errs.push(format!("invalid interactiveMode for {name}: \"{other}\"")),
        }
    }
    if methods.len() > 1 {
        errs.push(format!(
            "more than one authentication method found for {name}; found [{}], only one is allowed",
            methods.join(" ")
        ));
    }
    if (!a.impersonate_uid.is_empty()
        || !a.impersonate_groups.is_empty()
        || a.impersonate_user_extra)
        && a.impersonate.is_empty()
    {
        errs.push(format!(
            "requesting uid, groups or user-extra for {name} without impersonating a user"
        ));
    }
    errs
}

/// What a kubectl command uses.
#[derive(Clone, Debug)]
pub struct Effective<'a> {
    pub context_name: String,
    pub context: Option<&'a Named<Context>>,
    pub cluster_name: String,
    /// None: the context names no cluster in the file (kubectl then talks
    /// to `DEFAULT_SERVER`).
    pub cluster: Option<&'a Named<Cluster>>,
    pub user_name: String,
    /// None: the context names no user in the file (requests carry no
    /// credentials).
    pub user: Option<&'a Named<AuthInfo>>,
    /// The default namespace: the context's, else `default`.
    pub namespace: String,
    pub server: String,
    /// What kubectl prints instead of running the command (empty when
    /// usable); `Error in configuration:` precedes them.
    pub errors: Vec<String>,
}

/// Every file path the user or cluster entry points to; kubectl reads
/// them when it runs, so offline they are unknown.
pub fn file_references(c: Option<&Cluster>, u: Option<&AuthInfo>) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(c) = c
        && !c.certificate_authority.is_empty()
    {
        out.push(("certificate-authority", c.certificate_authority.clone()));
    }
    if let Some(u) = u {
        for (k, v) in [
            ("client-certificate", &u.client_certificate),
            ("client-key", &u.client_key),
            ("tokenFile", &u.token_file),
        ] {
            if !v.is_empty() {
                out.push((k, v.clone()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cfg(v: J) -> Kubeconfig {
        load(&v).expect("loads")
    }

    fn base() -> J {
        json!({
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [{"name": "prod", "cluster": {"server": "https://10.0.0.1:6443", "certificate-authority-data": "Zm9v"}}],
            "users": [{"name": "jane", "user": {"client-certificate-data": "Zm9v", "client-key-data": "YmFy"}}],
            "contexts": [{"name": "jane@prod", "context": {"cluster": "prod", "user": "jane", "namespace": "dev"}}],
            "current-context": "jane@prod"
        })
    }

    #[test]
    fn a_good_file_resolves() {
        let k = cfg(base());
        assert!(k.validate().is_empty(), "{:?}", k.validate());
        let e = k.effective(None);
        assert!(e.errors.is_empty(), "{:?}", e.errors);
        assert_eq!(e.namespace, "dev");
        assert_eq!(e.server, "https://10.0.0.1:6443");
        assert_eq!(
            e.user.map(|u| u.item.client_certificate_data.clone()),
            Some(b"foo".to_vec())
        );
        assert_eq!(
            e.user.map(|u| u.item.method()),
            Some(Credential::ClientCertificate)
        );
        assert!(k.ignored.is_empty(), "{:?}", k.ignored);
    }

    // upstream: clientcmd/validation_test.go TestConfirmUsableBadInfoButOkConfig,
    // TestValidateMissingReferencesConfig, TestValidateEmptyContext,
    // TestValidateEmptyClusterInfo
    #[test]
    fn validate_reports_like_clientcmd() {
        let mut v = base();
        v["contexts"][0]["context"]["cluster"] = json!("missing");
        v["contexts"][0]["context"]["user"] = json!("missing");
        let k = cfg(v);
        assert_eq!(
            k.validate(),
            vec![
                "user \"missing\" was not found for context \"jane@prod\"".to_string(),
                "cluster \"missing\" was not found for context \"jane@prod\"".to_string(),
            ]
        );
        let empty_ctx = cfg(json!({"contexts": [{"name": "anything", "context": {}}]}));
        assert_eq!(
            empty_ctx.validate(),
            vec![
                "user was not specified for context \"anything\"".to_string(),
                "cluster was not specified for context \"anything\"".to_string(),
            ]
        );
        let empty_cluster = cfg(json!({"clusters": [{"name": "empty", "cluster": {}}]}));
        assert_eq!(
            empty_cluster.validate(),
            vec![ERR_EMPTY_CLUSTER.to_string()]
        );
        assert_eq!(
            cfg(json!({})).validate(),
            vec![ERR_EMPTY_CONFIG.to_string()]
        );
    }

    // upstream: validation_test.go TestValidateCleanClusterInfo /
    // TestValidateCertFilesNotFoundAuthInfo / TestValidateMultipleMethodsAuthInfo /
    // TestValidateCertDataOverridesCertFile
    #[test]
    fn auth_info_rules() {
        let both = AuthInfo {
            token: "t".into(),
            username: "u".into(),
            ..AuthInfo::default()
        };
        assert_eq!(
            validate_auth_info("error", &both),
            vec!["more than one authentication method found for error; found [token basicAuth], only one is allowed".to_string()]
        );
        let no_key = AuthInfo {
            client_certificate_data: b"c".to_vec(),
            ..AuthInfo::default()
        };
        assert_eq!(
            validate_auth_info("jane", &no_key),
            vec!["client-key-data or client-key must be specified for jane to use the clientCert authentication method.".to_string()]
        );
        let overrides = AuthInfo {
            client_certificate: "c.crt".into(),
            client_certificate_data: b"c".to_vec(),
            client_key: "c.key".into(),
            client_key_data: b"k".to_vec(),
            ..AuthInfo::default()
        };
        assert_eq!(validate_auth_info("clean", &overrides).len(), 2);
        let exec = AuthInfo {
            exec: Some(Exec {
                command: "kubectl".into(),
                api_version: "client.authentication.k8s.io/v1".into(),
                env_names: vec![String::new()],
                interactive_mode: "Sometimes".into(),
            }),
            ..AuthInfo::default()
        };
        assert_eq!(
            validate_auth_info("oidc", &exec),
            vec![
                "env variable name must be specified for oidc to use exec authentication plugin"
                    .to_string(),
                "invalid interactiveMode for oidc: \"Sometimes\"".to_string(),
            ]
        );
        let cluster = Cluster {
            server: "https://x".into(),
            certificate_authority: "ca.crt".into(),
            certificate_authority_data: b"x".to_vec(),
            ..Cluster::default()
        };
        assert_eq!(validate_cluster_info("c", &cluster).len(), 1);
        let no_server = Cluster {
            insecure_skip_tls_verify: true,
            ..Cluster::default()
        };
        assert_eq!(
            validate_cluster_info("c", &no_server),
            vec!["no server found for cluster \"c\"".to_string()]
        );
    }

    #[test]
    fn namespace_must_be_a_dns_label() {
        let mut v = base();
        v["contexts"][0]["context"]["namespace"] = json!("Dev_Team");
        assert_eq!(
            cfg(v).validate(),
            vec!["namespace \"Dev_Team\" for context \"jane@prod\" does not conform to the kubernetes DNS_LABEL rules".to_string()]
        );
    }

    #[test]
    fn current_context_pointing_nowhere() {
        let mut v = base();
        v["current-context"] = json!("jane@staging");
        let k = cfg(v);
        let e = k.effective(None);
        assert_eq!(
            e.errors,
            vec!["context was not found for specified context: jane@staging".to_string()]
        );
        assert_eq!(e.server, DEFAULT_SERVER);
        assert_eq!(e.namespace, "default");
        // --context with a missing name fails before anything else
        assert_eq!(
            k.effective(Some("nope")).errors,
            vec!["context \"nope\" does not exist".to_string()]
        );
        assert!(k.effective(Some("jane@prod")).errors.is_empty());
    }

    #[test]
    fn missing_cluster_and_user_fall_back() {
        let mut v = base();
        v["contexts"][0]["context"]["cluster"] = json!("staging");
        v["contexts"][0]["context"]["user"] = json!("bob");
        let k = cfg(v);
        let e = k.effective(None);
        // kubectl still runs: against localhost:8080, without credentials
        assert!(e.errors.is_empty(), "{:?}", e.errors);
        assert!(e.cluster.is_none() && e.user.is_none());
        assert_eq!(e.server, DEFAULT_SERVER);
    }

    #[test]
    fn duplicate_names_do_not_load() {
        let mut v = base();
        v["users"] =
            json!([{"name": "jane", "user": {}}, {"name": "jane", "user": {"token": "x"}}]);
        assert_eq!(
            load(&v).err().as_deref(),
            Some(
                "error converting *[]NamedAuthInfo into *map[string]*api.AuthInfo: duplicate name \"jane\" in list"
            )
        );
    }

    #[test]
    fn unknown_fields_are_dropped_and_listed() {
        let mut v = base();
        v["contexts"][0] = json!({"name": "jane@prod", "namespace": "dev", "context": {"cluster": "prod", "user": "jane"}});
        let k = cfg(v);
        assert_eq!(k.ignored, vec!["contexts[0].namespace".to_string()]);
        assert_eq!(k.effective(None).namespace, "default");
        let mut v = base();
        v["users"][0]["user"]["client-certificate-data"] = json!("-----BEGIN CERTIFICATE-----");
        let err = load(&v).expect_err("not base64");
        assert!(err.contains("users[0].user.client-certificate-data is not base64 (illegal base64 data at input byte 0)"), "{err}");
        let mut v = base();
        v["clusters"] = json!({"prod": {}});
        assert!(load(&v).is_err());
    }
}

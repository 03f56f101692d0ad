//! A fake Kubernetes API server inside the test process: real HTTP/1.1 on
//! 127.0.0.1, answered from an in-memory store in the API server's own JSON
//! shapes (hand-written; nothing here was recorded from a cluster).
//!
//! Serves: /version; discovery (/api, /apis, /api/v1, /apis/G/V, legacy
//! form) for the kinds Kubernetes 1.36 serves; list (all namespaces or
//! one, with equality label selectors) and get; server-side apply PATCH;
//! DELETE (a namespace takes its objects with it, as the namespace
//! controller does); SelfSubjectReview; SelfSubjectAccessReview (reading
//! the Impersonate-* headers) and SubjectAccessReview; pod exec over
//! WebSocket (v4.channel.k8s.io). Every request is logged so tests can
//! count them. Modes simulate a broken cluster.

// Test scaffolding: a broken fixture should stop the test loudly.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use kubedojo::model::kinds::{self, KindInfo, Served};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Logged {
    pub method: String,
    pub path: String,
    pub query: BTreeMap<String, String>,
    pub headers: Vec<(String, String)>,
    pub body: Value,
}

impl Logged {
    pub fn header(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Mode {
    Normal,
    /// Every request gets 401 (expired or revoked credentials).
    Unauthorized,
    /// The client's credentials are ignored: it is system:anonymous.
    Anonymous,
    /// Lists of this plural are forbidden to the caller.
    ForbidList(String),
    /// Accept, read the request, never answer.
    Hang,
}

/// What a pod's exec of `agnhost connect` should report.
#[derive(Clone, Debug)]
pub enum ExecResult {
    Connected,
    Stderr(String),
}

type AccessFn = dyn Fn(&str, &[String], &Value) -> bool + Send;
type ExecFn = dyn Fn(&str, &str, &[String]) -> ExecResult + Send;

pub struct State {
    objects: Vec<Value>,
    pub log: Vec<Logged>,
    pub mode: Mode,
    pub user: String,
    pub groups: Vec<String>,
    access: Box<AccessFn>,
    exec: Box<ExecFn>,
    next_uid: u64,
    /// Give applied pods a Running status and an IP, as kubelet would.
    pub run_pods: bool,
    /// Answer every list this much later (a busy API server).
    pub list_delay: Duration,
}

pub struct FakeApiServer {
    pub addr: SocketAddr,
    pub state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
}

impl Drop for FakeApiServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = TcpStream::connect(self.addr);
    }
}

impl FakeApiServer {
    pub fn start() -> FakeApiServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let state = Arc::new(Mutex::new(State {
            objects: Vec::new(),
            log: Vec::new(),
            mode: Mode::Normal,
            user: "kubernetes-admin".into(),
            groups: vec![
                "kubeadm:cluster-admins".into(),
                "system:authenticated".into(),
            ],
            access: Box::new(|_, _, _| false),
            exec: Box::new(|_, _, _| ExecResult::Stderr("OTHER: no exec script".into())),
            next_uid: 1,
            run_pods: true,
            list_delay: Duration::ZERO,
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let (st, sp) = (state.clone(), stop.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if sp.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let (st, sp) = (st.clone(), sp.clone());
                std::thread::spawn(move || serve(conn, st, sp));
            }
        });
        FakeApiServer { addr, state, stop }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A kubeconfig whose context `context` points at this server, with
    /// another, current context that must never be used by accident.
    pub fn kubeconfig(&self, context: &str) -> String {
        kubeconfig_for(&self.url(), context)
    }

    pub fn set_mode(&self, mode: Mode) {
        self.state.lock().unwrap().mode = mode;
    }

    pub fn set_access(&self, f: impl Fn(&str, &[String], &Value) -> bool + Send + 'static) {
        self.state.lock().unwrap().access = Box::new(f);
    }

    pub fn set_exec(&self, f: impl Fn(&str, &str, &[String]) -> ExecResult + Send + 'static) {
        self.state.lock().unwrap().exec = Box::new(f);
    }

    /// Store an object as a cluster holding it would (uid, resourceVersion).
    pub fn insert(&self, obj: Value) {
        let mut st = self.state.lock().unwrap();
        let obj = st.stamp(obj, None);
        st.objects.push(obj);
    }

    pub fn objects(&self) -> Vec<Value> {
        self.state.lock().unwrap().objects.clone()
    }

    pub fn find(&self, kind: &str, namespace: Option<&str>, name: &str) -> Option<Value> {
        self.objects().into_iter().find(|o| {
            o["kind"] == kind
                && o["metadata"]["name"] == name
                && o["metadata"]["namespace"].as_str() == namespace
        })
    }

    pub fn log(&self) -> Vec<Logged> {
        self.state.lock().unwrap().log.clone()
    }

    pub fn clear_log(&self) {
        self.state.lock().unwrap().log.clear();
    }

    /// Requests with this method whose path matches.
    pub fn count(&self, method: &str, path_pred: impl Fn(&str) -> bool) -> usize {
        self.log()
            .iter()
            .filter(|l| l.method == method && path_pred(&l.path))
            .count()
    }
}

pub fn kubeconfig_for(server: &str, context: &str) -> String {
    format!(
        "apiVersion: v1
kind: Config
clusters:
- name: fake
  cluster:
    server: {server}
- name: elsewhere
  cluster:
    server: https://203.0.113.10:6443
contexts:
- name: {context}
  context:
    cluster: fake
    user: admin
- name: production
  context:
    cluster: elsewhere
    user: admin
current-context: production
users:
- name: admin
  user:
    token: fake-token
"
    )
}

impl State {
    fn stamp(&mut self, mut obj: Value, manager: Option<&str>) -> Value {
        let uid = self.next_uid;
        self.next_uid += 1;
        let api_version = obj["apiVersion"].clone();
        let meta = obj["metadata"].as_object_mut().expect("metadata");
        meta.entry("uid")
            .or_insert_with(|| format!("00000000-0000-0000-0000-{uid:012}").into());
        meta.insert("resourceVersion".into(), uid.to_string().into());
        meta.entry("creationTimestamp")
            .or_insert_with(|| "2026-01-01T00:00:00Z".into());
        if let Some(m) = manager {
            meta.insert(
                "managedFields".into(),
                json!([{"manager": m, "operation": "Apply", "apiVersion": api_version,
                        "time": "2026-01-01T00:00:00Z", "fieldsType": "FieldsV1", "fieldsV1": {}}]),
            );
        }
        if obj["kind"] == "Namespace" {
            let name = obj["metadata"]["name"].clone();
            obj["metadata"]["labels"]["kubernetes.io/metadata.name"] = name;
            obj["status"] = json!({"phase": "Active"});
        }
        if self.run_pods && obj["kind"] == "Pod" && obj.get("status").is_none() {
            obj["status"] = json!({"phase": "Running", "podIP": format!("10.244.9.{}", uid % 250)});
        }
        obj
    }
}

struct Request {
    method: String,
    path: String,
    /// Query parameters in order (`command` repeats for exec).
    pairs: Vec<(String, String)>,
    query: BTreeMap<String, String>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn read_request(r: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut line = String::new();
    if r.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        r.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (k, v) = h.split_once(':')?;
        headers.push((k.trim().to_string(), v.trim().to_string()));
    }
    let get = |n: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(n))
            .map(|(_, v)| v.clone())
    };
    let mut body = Vec::new();
    if let Some(len) = get("content-length").and_then(|l| l.parse::<usize>().ok()) {
        body.resize(len, 0);
        r.read_exact(&mut body).ok()?;
    } else if get("transfer-encoding").is_some_and(|t| t.contains("chunked")) {
        loop {
            let mut size = String::new();
            r.read_line(&mut size).ok()?;
            let n = usize::from_str_radix(size.trim(), 16).ok()?;
            let mut chunk = vec![0; n + 2];
            r.read_exact(&mut chunk).ok()?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
    }
    let (path, q) = target.split_once('?').unwrap_or((&target, ""));
    let pairs: Vec<(String, String)> = q
        .split('&')
        .filter(|s| !s.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (decode(k), decode(v))
        })
        .collect();
    Some(Request {
        method,
        path: path.to_string(),
        query: pairs.iter().cloned().collect(),
        pairs,
        headers,
        body,
    })
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => out.push(b),
                    Err(_) => out.extend_from_slice(&bytes[i..i + 3]),
                }
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn respond(w: &mut TcpStream, code: u16, body: &Value) -> std::io::Result<()> {
    let text = serde_json::to_vec(body).unwrap_or_default();
    let reason = match code {
        200 => "OK",
        201 => "Created",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        415 => "Unsupported Media Type",
        _ => "Error",
    };
    write!(
        w,
        "HTTP/1.1 {code} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        text.len()
    )?;
    w.write_all(&text)?;
    w.flush()
}

fn status(code: u16, reason: &str, message: &str) -> Value {
    json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
           "message": message, "reason": reason, "code": code})
}

fn serve(conn: TcpStream, state: Arc<Mutex<State>>, stop: Arc<AtomicBool>) {
    let mut writer = match conn.try_clone() {
        Ok(w) => w,
        Err(_) => return,
    };
    let mut reader = BufReader::new(conn);
    while let Some(req) = read_request(&mut reader) {
        let body: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
        let mode = {
            let mut st = state.lock().unwrap();
            st.log.push(Logged {
                method: req.method.clone(),
                path: req.path.clone(),
                query: req.query.clone(),
                headers: req.headers.clone(),
                body: body.clone(),
            });
            st.mode.clone()
        };
        if mode == Mode::Hang {
            while !stop.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(50));
            }
            return;
        }
        if req.path.ends_with("/exec")
            && req
                .header("upgrade")
                .is_some_and(|u| u.eq_ignore_ascii_case("websocket"))
        {
            exec(writer, reader, &req, &state);
            return;
        }
        let delay = state.lock().unwrap().list_delay;
        if req.method == "GET" && !delay.is_zero() && is_list_path(&req.path) {
            std::thread::sleep(delay);
        }
        let (code, out) = route(&req, &body, &mut state.lock().unwrap());
        if respond(&mut writer, code, &out).is_err() {
            return;
        }
    }
}

/// The pod exec WebSocket: stderr on channel 2, then the exit Status on
/// channel 3, as the kubelet's streaming server sends them.
fn exec(
    mut writer: TcpStream,
    reader: BufReader<TcpStream>,
    req: &Request,
    state: &Arc<Mutex<State>>,
) {
    let segs: Vec<&str> = req.path.trim_start_matches('/').split('/').collect();
    // api/v1/namespaces/NS/pods/NAME/exec
    let (ns, pod) = (
        segs.get(3).copied().unwrap_or(""),
        segs.get(5).copied().unwrap_or(""),
    );
    let command: Vec<String> = req
        .pairs
        .iter()
        .filter(|(k, _)| k == "command")
        .map(|(_, v)| v.clone())
        .collect();
    let key = req.header("sec-websocket-key").unwrap_or("").to_string();
    let accept = tungstenite::handshake::derive_accept_key(key.as_bytes());
    let _ = write!(
        writer,
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\nSec-WebSocket-Protocol: v4.channel.k8s.io\r\n\r\n"
    );
    let _ = writer.flush();
    drop(reader);
    let result = {
        let st = state.lock().unwrap();
        (st.exec)(ns, pod, &command)
    };
    let mut ws =
        tungstenite::WebSocket::from_raw_socket(writer, tungstenite::protocol::Role::Server, None);
    let status = match &result {
        ExecResult::Connected => json!({"metadata": {}, "status": "Success"}),
        ExecResult::Stderr(text) => {
            let mut frame = vec![2u8];
            frame.extend_from_slice(text.as_bytes());
            let _ = ws.send(tungstenite::Message::binary(frame));
            json!({"metadata": {}, "status": "Failure",
                   "message": format!("command terminated with non-zero exit code: error executing command {command:?}, exit code 1"),
                   "reason": "NonZeroExitCode",
                   "details": {"causes": [{"reason": "ExitCode", "message": "1"}]}})
        }
    };
    let mut frame = vec![3u8];
    frame.extend_from_slice(&serde_json::to_vec(&status).unwrap_or_default());
    let _ = ws.send(tungstenite::Message::binary(frame));
    let _ = ws.close(None);
    let _ = ws.flush();
    // Drain until the client closes.
    for _ in 0..10 {
        if ws.read().is_err() {
            break;
        }
    }
}

fn is_list_path(path: &str) -> bool {
    matches!(parse_resource_path(path), Ok(Some(rp)) if rp.name.is_none())
}

struct ResourcePath<'a> {
    info: &'static KindInfo,
    namespace: Option<&'a str>,
    name: Option<&'a str>,
}

fn parse_resource_path(path: &str) -> Result<Option<ResourcePath<'_>>, ()> {
    let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let (group, version, rest) = match segs.as_slice() {
        ["api", v, rest @ ..] if !rest.is_empty() => ("", *v, rest),
        ["apis", g, v, rest @ ..] if !rest.is_empty() => (*g, *v, rest),
        _ => return Ok(None),
    };
    let (namespace, plural, name) = match rest {
        ["namespaces", ns, plural, tail @ ..] => (Some(*ns), *plural, tail.first().copied()),
        [plural, tail @ ..] => (None, *plural, tail.first().copied()),
        [] => return Ok(None),
    };
    let info = kinds::KINDS
        .iter()
        .find(|k| k.group == group && k.version == version && k.plural == plural)
        .ok_or(())?;
    Ok(Some(ResourcePath {
        info,
        namespace,
        name,
    }))
}

fn selector_matches(obj: &Value, selector: Option<&String>) -> bool {
    let Some(sel) = selector else { return true };
    sel.split(',').filter(|s| !s.is_empty()).all(|term| {
        let (k, v) = term.split_once('=').unwrap_or((term, ""));
        obj["metadata"]["labels"][k].as_str() == Some(v)
    })
}

fn strip_type(mut o: Value) -> Value {
    if let Some(m) = o.as_object_mut() {
        m.remove("apiVersion");
        m.remove("kind");
    }
    o
}

fn route(req: &Request, body: &Value, st: &mut State) -> (u16, Value) {
    if st.mode == Mode::Unauthorized {
        return (401, status(401, "Unauthorized", "Unauthorized"));
    }
    let path = req.path.as_str();
    match (req.method.as_str(), path) {
        ("GET", "/version") => {
            return (
                200,
                json!({"major": "1", "minor": "36", "gitVersion": "v1.36.4", "platform": "linux/amd64"}),
            );
        }
        ("GET", "/api") => {
            return (
                200,
                json!({"kind": "APIVersions", "versions": ["v1"],
                       "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "172.18.0.2:6443"}]}),
            );
        }
        ("GET", "/apis") => return (200, group_list()),
        ("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews") => {
            let (user, groups) = if st.mode == Mode::Anonymous {
                (
                    "system:anonymous".to_string(),
                    vec!["system:unauthenticated".to_string()],
                )
            } else {
                (st.user.clone(), st.groups.clone())
            };
            return (
                201,
                json!({"kind": "SelfSubjectReview", "apiVersion": "authentication.k8s.io/v1",
                       "metadata": {"creationTimestamp": null},
                       "status": {"userInfo": {"username": user, "groups": groups}}}),
            );
        }
        ("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews") => {
            let user = req
                .header("impersonate-user")
                .unwrap_or(&st.user)
                .to_string();
            let groups: Vec<String> = req
                .headers
                .iter()
                .filter(|(k, _)| k.eq_ignore_ascii_case("impersonate-group"))
                .map(|(_, v)| v.clone())
                .collect();
            let allowed = (st.access)(&user, &groups, &body["spec"]);
            let mut out = body.clone();
            out["status"] = json!({"allowed": allowed,
                                   "reason": if allowed { format!("RBAC: allowed for {user}") } else { String::new() }});
            return (201, out);
        }
        ("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews") => {
            let user = body["spec"]["user"].as_str().unwrap_or("").to_string();
            let groups: Vec<String> = body["spec"]["groups"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|g| g.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            let allowed = (st.access)(&user, &groups, &body["spec"]);
            let mut out = body.clone();
            out["status"] = json!({"allowed": allowed});
            return (201, out);
        }
        _ => {}
    }
    if req.method == "GET"
        && let Some(list) = resource_list(path)
    {
        return (200, list);
    }
    let rp = match parse_resource_path(path) {
        Ok(Some(rp)) => rp,
        _ => {
            return (
                404,
                status(
                    404,
                    "NotFound",
                    "the server could not find the requested resource",
                ),
            );
        }
    };
    let info = rp.info;
    let same = |o: &Value, name: &str| {
        o["kind"] == info.kind
            && o["apiVersion"] == info.api_version
            && o["metadata"]["name"] == name
            && (!info.namespaced || o["metadata"]["namespace"].as_str() == rp.namespace)
    };
    let not_found = |name: &str| {
        status(
            404,
            "NotFound",
            &format!(
                "{}{} \"{name}\" not found",
                info.plural,
                if info.group.is_empty() {
                    String::new()
                } else {
                    format!(".{}", info.group)
                }
            ),
        )
    };
    match (req.method.as_str(), rp.name) {
        ("GET", None) => {
            if let Mode::ForbidList(p) = &st.mode
                && p == info.plural
            {
                let msg = format!(
                    "{} is forbidden: User \"jane\" cannot list resource \"{}\" in API group \"{}\" at the cluster scope",
                    info.plural, info.plural, info.group
                );
                return (403, status(403, "Forbidden", &msg));
            }
            let items: Vec<Value> = st
                .objects
                .iter()
                .filter(|o| o["kind"] == info.kind && o["apiVersion"] == info.api_version)
                .filter(|o| {
                    rp.namespace.is_none() || o["metadata"]["namespace"].as_str() == rp.namespace
                })
                .filter(|o| selector_matches(o, req.query.get("labelSelector")))
                .cloned()
                .map(strip_type)
                .collect();
            (
                200,
                json!({"kind": format!("{}List", info.kind), "apiVersion": info.api_version,
                       "metadata": {"resourceVersion": st.next_uid.to_string()}, "items": items}),
            )
        }
        ("GET", Some(name)) => match st.objects.iter().find(|o| same(o, name)) {
            Some(o) => (200, o.clone()),
            None => (404, not_found(name)),
        },
        ("PATCH", Some(name)) => {
            let ct = req.header("content-type").unwrap_or("");
            if ct != "application/apply-patch+yaml" {
                return (
                    415,
                    status(
                        415,
                        "UnsupportedMediaType",
                        &format!("unsupported patch type {ct}"),
                    ),
                );
            }
            let Some(manager) = req.query.get("fieldManager").cloned() else {
                return (
                    400,
                    status(
                        400,
                        "BadRequest",
                        "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch",
                    ),
                );
            };
            let mut obj = body.clone();
            if info.namespaced {
                obj["metadata"]["namespace"] = json!(rp.namespace);
            }
            let existing = st.objects.iter().position(|o| same(o, name));
            if let Some(i) = existing {
                let old = st.objects.remove(i);
                obj["metadata"]["uid"] = old["metadata"]["uid"].clone();
                if let Some(s) = old.get("status") {
                    obj["status"] = s.clone();
                }
            }
            let obj = st.stamp(obj, Some(&manager));
            st.objects.push(obj.clone());
            (if existing.is_some() { 200 } else { 201 }, obj)
        }
        ("DELETE", Some(name)) => match st.objects.iter().position(|o| same(o, name)) {
            None => (404, not_found(name)),
            Some(i) => {
                let gone = st.objects.remove(i);
                if info.kind == "Namespace" {
                    st.objects
                        .retain(|o| o["metadata"]["namespace"].as_str() != Some(name));
                }
                (
                    200,
                    json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
                           "details": {"name": name, "group": info.group, "kind": info.plural,
                                       "uid": gone["metadata"]["uid"].clone()}}),
                )
            }
        },
        _ => (
            405,
            status(
                405,
                "MethodNotAllowed",
                "the server does not allow this method on the requested resource",
            ),
        ),
    }
}

/// Legacy discovery: every group with its served versions, GA first.
fn group_list() -> Value {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for k in kinds::KINDS
        .iter()
        .filter(|k| !k.group.is_empty() && k.served == Served::Yes)
    {
        match groups.iter_mut().find(|(g, _)| *g == k.group) {
            Some((_, vs)) => {
                if !vs.contains(&k.version) {
                    vs.push(k.version)
                }
            }
            None => groups.push((k.group, vec![k.version])),
        }
    }
    let groups: Vec<Value> = groups
        .iter()
        .map(|(g, vs)| {
            let versions: Vec<Value> = vs
                .iter()
                .map(|v| json!({"groupVersion": format!("{g}/{v}"), "version": v}))
                .collect();
            json!({"name": g, "versions": versions, "preferredVersion": versions[0].clone()})
        })
        .collect();
    json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
}

/// `/api/v1` or `/apis/G/V`: the APIResourceList of a group-version.
fn resource_list(path: &str) -> Option<Value> {
    let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let (group, version) = match segs.as_slice() {
        ["api", v] => ("", *v),
        ["apis", g, v] => (*g, *v),
        _ => return None,
    };
    let resources: Vec<Value> = kinds::KINDS
        .iter()
        .filter(|k| k.group == group && k.version == version)
        .map(|k| {
            json!({"name": k.plural, "singularName": k.singular(), "namespaced": k.namespaced,
                   "kind": k.kind, "shortNames": k.short_names,
                   "verbs": ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]})
        })
        .collect();
    if resources.is_empty() {
        return None;
    }
    let gv = if group.is_empty() {
        version.to_string()
    } else {
        format!("{group}/{version}")
    };
    Some(
        json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": resources}),
    )
}

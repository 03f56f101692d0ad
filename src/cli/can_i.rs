//! `kubedojo can-i VERB TYPE[/NAME] | VERB /URL | --list`: what
//! `kubectl auth can-i --as USER` would answer, offline, over the RBAC
//! objects in the files and the API server's default roles and bindings.
//! Same syntax, checks, warnings and output as kubectl; the explanation of
//! the answer goes to stderr so stdout stays `yes`/`no`.

use super::Global;
use super::output::{Exit, Failure, print_json};
use crate::engines::rbac::list::{Row, table};
use crate::engines::rbac::resolve::{resolve_in, subresources};
use crate::engines::rbac::{Attributes, Explanation, Matched, Policy, UserInfo, explain};
use crate::model::{ClusterModel, Problem};
use serde::Serialize;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  \
kubedojo can-i list pods -n dev --as jane -f rbac.yaml\n  \
kubedojo can-i get pods --subresource log -n dev --as jane -f rbac.yaml\n  \
kubedojo can-i create deployments.apps --as system:serviceaccount:ci:deployer -n shop -f rbac.yaml\n  \
kubedojo can-i get /healthz --as jane\n  \
kubedojo can-i --list -n dev --as jane -f rbac.yaml")]
pub struct Args {
    /// VERB and TYPE[/NAME] (TYPE: plural, singular, short name or Kind,
    /// optionally .group), or VERB and a non-resource URL starting with /.
    #[arg(value_name = "VERB TYPE[/NAME]")]
    pub args: Vec<String>,
    /// Print everything the user can do in the namespace.
    #[arg(long)]
    pub list: bool,
    /// Namespace of the request (default: default).
    #[arg(short = 'n', long, value_name = "NS")]
    pub namespace: Option<String>,
    /// Check the action in all namespaces (a cluster-wide request).
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    /// User to check, as with kubectl --as (system:serviceaccount:NS:NAME
    /// for a service account).
    #[arg(long = "as", value_name = "USER", required = true)]
    pub as_user: String,
    /// Group to check as (repeatable); replaces the service-account groups.
    #[arg(long = "as-group", value_name = "GROUP")]
    pub as_group: Vec<String>,
    /// Subresource such as log (pods/log) or scale (deployments/scale).
    #[arg(long, value_name = "S")]
    pub subresource: Option<String>,
    /// Files with the cluster's RBAC objects (repeatable).
    #[arg(short = 'f', long = "filename", value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Leave out the API server's default ClusterRoles and ClusterRoleBindings.
    #[arg(long)]
    pub no_defaults: bool,
    #[arg(long)]
    pub json: bool,
    /// Print nothing; only the exit code answers.
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// With --list: no header line.
    #[arg(long)]
    pub no_headers: bool,
}

/// kubectl's verbs for resource and non-resource requests (cani.go).
const RESOURCE_VERBS: &[&str] = &[
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
    "use",
    "bind",
    "impersonate",
    "*",
    "approve",
    "sign",
    "escalate",
    "attest",
];
const NON_RESOURCE_VERBS: &[&str] = &[
    "get", "put", "post", "head", "options", "delete", "patch", "*",
];

#[derive(Serialize)]
struct CheckJson<'a> {
    allowed: bool,
    reason: &'a str,
    matched: Option<&'a Matched>,
}

#[derive(Serialize)]
struct ListRule {
    binding: String,
    role: String,
    rule_index: usize,
    verbs: Vec<String>,
    api_groups: Vec<String>,
    resources: Vec<String>,
    resource_names: Vec<String>,
    non_resource_urls: Vec<String>,
}

#[derive(Serialize)]
struct ListJson<'a> {
    namespace: &'a str,
    user: &'a str,
    groups: &'a [String],
    rows: &'a [Row],
    rules: Vec<ListRule>,
    errors: &'a [String],
}

#[derive(Serialize)]
struct Rejected<'a> {
    error: String,
    problems: &'a [Problem],
}

fn warn(quiet: bool, msg: &str) {
    if !quiet {
        eprintln!("Warning: {msg}");
    }
}

/// kubectl's usage checks (`Complete` and `Validate`).
fn check_usage(a: &Args) -> Result<(), Failure> {
    if a.list {
        if !a.args.is_empty() {
            return Err(Failure::usage(
                "list option must be specified with no arguments",
            ));
        }
        if a.quiet || a.all_namespaces || a.subresource.is_some() {
            return Err(Failure::usage(
                "list option can't be specified with neither quiet, all-namespaces nor subresource options",
            ));
        }
        return Ok(());
    }
    if a.args.len() != 2 {
        return Err(Failure::usage(
            "you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubedojo can-i -h' for help and examples.",
        ));
    }
    if a.args[1].starts_with('/') && a.subresource.is_some() {
        return Err(Failure::usage(
            "--subresource can not be used with NonResourceURL",
        ));
    }
    if a.no_headers {
        return Err(Failure::usage(
            "--no-headers cannot be set without --list specified",
        ));
    }
    Ok(())
}

pub fn run(_g: &Global, a: Args) -> Result<Exit, Failure> {
    check_usage(&a)?;
    let validated = crate::validate::validate_files(&a.files)?;
    if !validated.is_valid() {
        return Ok(reject(&a, &validated.problems));
    }
    let model = validated.model();
    let policy = Policy::from_model(&model, !a.no_defaults);
    let user = UserInfo::impersonated(&a.as_user, &a.as_group);
    let namespace = if a.all_namespaces {
        String::new()
    } else {
        a.namespace.clone().unwrap_or_else(|| "default".to_string())
    };
    if a.list {
        return Ok(run_list(&a, &policy, &user, &namespace));
    }
    let attrs = request(&a, user, &namespace, &model);
    let e = explain(&policy, &attrs);
    let d = &e.decision;
    if a.json {
        print_json(&CheckJson {
            allowed: d.allowed,
            reason: &d.reason,
            matched: d.matched.as_ref(),
        });
    } else if !a.quiet {
        if d.allowed {
            println!("yes");
        } else if d.errors.is_empty() {
            println!("no");
        } else {
            // kubectl prints the authorizer's reason when it has one.
            println!("no - {}", d.reason);
        }
    }
    if !a.quiet {
        print_explanation(&e);
    }
    Ok(if d.allowed { Exit::Pass } else { Exit::Fail })
}

fn reject(a: &Args, problems: &[Problem]) -> Exit {
    let n = problems.len();
    let error = format!(
        "the API server would reject these files ({n} problem{}); fix them first",
        if n == 1 { "" } else { "s" }
    );
    if a.json {
        print_json(&Rejected {
            error: error.clone(),
            problems,
        });
    }
    for p in problems {
        eprintln!("{p}");
    }
    eprintln!("kubedojo: {error}");
    Exit::Rejected
}

/// The request kubectl would send, with its warnings. Types resolve as
/// kubectl's discovery would, including the CRDs in the files.
fn request(a: &Args, user: UserInfo, namespace: &str, model: &ClusterModel) -> Attributes {
    let verb = a.args[0].as_str();
    let target = a.args[1].as_str();
    if target.starts_with('/') {
        if !NON_RESOURCE_VERBS.contains(&verb) {
            warn(a.quiet, &format!("verb '{verb}' is not a known verb"));
        }
        return Attributes::non_resource(user, verb, target);
    }
    let (type_arg, name) = match target.split_once('/') {
        Some((t, n)) => (t, n),
        None => (target, ""),
    };
    let rt = resolve_in(type_arg, model);
    if let Some(w) = &rt.warning {
        warn(a.quiet, w);
    }
    if !a.all_namespaces {
        if let Some(info) = rt.info
            && !info.namespaced
        {
            warn(
                a.quiet,
                &if rt.group.is_empty() {
                    format!("resource '{}' is not namespace scoped", rt.resource)
                } else {
                    format!(
                        "resource '{}' is not namespace scoped in group '{}'",
                        rt.resource, rt.group
                    )
                },
            );
        }
        if !RESOURCE_VERBS.contains(&verb) {
            warn(a.quiet, &format!("verb '{verb}' is not a known verb"));
        }
    }
    let sub = a.subresource.clone().unwrap_or_default();
    if !sub.is_empty() && rt.info.is_some() {
        let known = subresources(&rt.group, &rt.resource);
        if !known.contains(&sub.as_str()) {
            let has = if known.is_empty() {
                "it has none".to_string()
            } else {
                format!("it has {}", known.join(", "))
            };
            warn(
                a.quiet,
                &format!("{} has no subresource '{sub}' ({has})", rt.group_resource()),
            );
        }
    }
    Attributes::resource(user, verb, &rt.group, &rt.resource)
        .with_subresource(&sub)
        .named(name)
        .in_namespace(namespace)
}

fn at(loc: &Option<crate::model::Location>, builtin: bool) -> String {
    match (loc, builtin) {
        (_, true) => " (built-in default)".to_string(),
        (Some(l), false) => format!(" ({l})"),
        (None, false) => String::new(),
    }
}

fn print_explanation(e: &Explanation) {
    let d = &e.decision;
    if let Some(m) = &d.matched {
        eprintln!(
            "allowed by {}{}",
            m.binding,
            at(&m.binding_location, m.builtin)
        );
        let from = match &m.aggregated_from {
            Some(r) => format!(", collected from {r}"),
            None => String::new(),
        };
        eprintln!(
            "  which grants {}, rule {}{from}{}: {}",
            m.role,
            m.rule_index,
            at(&m.rule_location, m.builtin),
            crate::engines::rbac::explain::rule_text(&m.rule)
        );
    } else {
        eprintln!("denied: {}", d.reason);
        if !e.misses.is_empty() {
            eprintln!("nearest misses:");
            for m in &e.misses {
                eprintln!("  - {}", m.message);
                if let Some(l) = &m.location
                    && !m.builtin
                {
                    eprintln!("    at {l}");
                }
            }
        }
    }
    for n in &e.notes {
        eprintln!("note: {n}");
    }
}

fn run_list(a: &Args, policy: &Policy, user: &UserInfo, namespace: &str) -> Exit {
    let (grants, errors) = policy.grants_for(user, namespace);
    let rules: Vec<_> = grants.iter().map(|g| g.rule.clone()).collect();
    let rows = crate::engines::rbac::list::rows(&rules);
    if a.json {
        let l = |v: &Option<Vec<String>>| v.clone().unwrap_or_default();
        print_json(&ListJson {
            namespace,
            user: &user.name,
            groups: &user.groups,
            rows: &rows,
            rules: grants
                .iter()
                .map(|g| ListRule {
                    binding: g.binding.source.id.to_string(),
                    role: g.role.source.id.to_string(),
                    rule_index: g.rule_index,
                    verbs: g.rule.verbs.clone(),
                    api_groups: l(&g.rule.api_groups),
                    resources: l(&g.rule.resources),
                    resource_names: l(&g.rule.resource_names),
                    non_resource_urls: l(&g.rule.non_resource_urls),
                })
                .collect(),
            errors: &errors,
        });
    } else {
        print!("{}", table(&rows, !a.no_headers));
        for e in &errors {
            eprintln!("note: a binding for this user grants nothing: {e}");
        }
    }
    Exit::Pass
}

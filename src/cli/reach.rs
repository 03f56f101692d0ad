//! `kubedojo reach -f FILE... [--from EP] [--to EP] [--port P]
//! [--protocol TCP|UDP|SCTP] [--json]`: NetworkPolicy reachability over the
//! pods, namespaces and policies in the files.
//!
//! With both `--from` and `--to` it is a question (exit 0 allowed, 1
//! denied) answered with the policies and rules responsible; otherwise it
//! prints the matrix, as a grid like the one kubernetes' e2e tests print.

use super::Global;
use super::output::{Exit, Failure, paint, print_json};
use crate::engines::netpol::{Endpoint, Network, PortChoice, Protocol, Query};
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Files with the namespaces, pods and NetworkPolicies (many YAML documents and `kind: List` allowed).
    #[arg(short = 'f', long = "filename", required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Source: NAMESPACE/POD or ip:A.B.C.D (default: every pod).
    #[arg(long, value_name = "EP")]
    pub from: Option<String>,
    /// Destination: NAMESPACE/POD or ip:A.B.C.D (default: every pod).
    #[arg(long, value_name = "EP")]
    pub to: Option<String>,
    /// Destination port: a number or a container port name (default: every container port of the destination).
    #[arg(long, value_name = "PORT")]
    pub port: Option<String>,
    /// Protocol of --port (default TCP), or the only protocol tested.
    #[arg(long, value_enum, ignore_case = true)]
    pub protocol: Option<ProtocolArg>,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProtocolArg {
    #[value(name = "TCP")]
    Tcp,
    #[value(name = "UDP")]
    Udp,
    #[value(name = "SCTP")]
    Sctp,
}

impl From<ProtocolArg> for Protocol {
    fn from(p: ProtocolArg) -> Protocol {
        match p {
            ProtocolArg::Tcp => Protocol::Tcp,
            ProtocolArg::Udp => Protocol::Udp,
            ProtocolArg::Sctp => Protocol::Sctp,
        }
    }
}

#[derive(Serialize)]
struct JsonOut {
    results: Vec<JsonResult>,
}

#[derive(Serialize)]
struct JsonResult {
    from: String,
    to: String,
    port: i32,
    protocol: &'static str,
    allowed: bool,
    loopback: bool,
    egress: JsonDirection,
    ingress: JsonDirection,
}

#[derive(Serialize)]
struct JsonDirection {
    allowed: bool,
    policies: Vec<String>,
}

pub fn run(g: &Global, a: Args) -> Result<Exit, Failure> {
    let v = crate::validate::validate_files(&a.files)?;
    if !v.is_valid() {
        let lines: Vec<String> = v.problems.iter().map(|p| p.to_string()).collect();
        return Err(Failure::usage(format!(
            "the API server would reject these files, so reach does not evaluate them:\n{}",
            lines.join("\n")
        )));
    }
    let model = v.model();
    let net = Network::from_model(&model).map_err(|errs| {
        let lines: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        Failure::usage(format!(
            "cannot evaluate these files:\n{}",
            lines.join("\n")
        ))
    })?;
    let endpoints = |spec: &Option<String>| -> Result<Vec<Endpoint>, Failure> {
        match spec {
            Some(s) => Ok(vec![net.endpoint(s).map_err(Failure::usage)?]),
            None => Ok(net.pod_endpoints()),
        }
    };
    let sources = endpoints(&a.from)?;
    let dests = endpoints(&a.to)?;
    let protocol = a.protocol.map(Protocol::from);
    let choice = port_choice(a.port.as_deref(), protocol)?;
    if let (Some(Endpoint::Ip(ip)), false) =
        (dests.first(), matches!(choice, PortChoice::Number(..)))
    {
        return Err(Failure::usage(format!(
            "give --port: ip:{ip} is not a pod, so it declares no container ports"
        )));
    }

    if a.from.is_some() && a.to.is_some() {
        single(g, &net, sources[0], dests[0], &choice, a.json)
    } else {
        matrix(g, &net, &sources, &dests, &choice, a.json)
    }
}

fn port_choice(port: Option<&str>, protocol: Option<Protocol>) -> Result<PortChoice, Failure> {
    let Some(p) = port else {
        return Ok(PortChoice::Declared(protocol));
    };
    if p.bytes().all(|b| b.is_ascii_digit()) && !p.is_empty() {
        let n: i32 = p.parse().unwrap_or(0);
        if !(1..=65535).contains(&n) {
            return Err(Failure::usage(format!(
                "--port {p}: must be between 1 and 65535, inclusive"
            )));
        }
        return Ok(PortChoice::Number(n, protocol.unwrap_or(Protocol::Tcp)));
    }
    let problems = crate::validate::field::is_valid_port_name(p);
    if let Some(m) = problems.first() {
        return Err(Failure::usage(format!(
            "--port {p:?}: not a port number, nor a port name: {m}"
        )));
    }
    Ok(PortChoice::Named(p.to_string(), protocol))
}

fn direction_json(net: &Network, allowed: bool, policies: &[usize]) -> JsonDirection {
    JsonDirection {
        allowed,
        policies: policies.iter().map(|&i| net.policies[i].key()).collect(),
    }
}

/// One source and one destination: a question, explained.
fn single(
    g: &Global,
    net: &Network,
    from: Endpoint,
    to: Endpoint,
    choice: &PortChoice,
    json: bool,
) -> Result<Exit, Failure> {
    let ports = choice.resolve(net, to);
    if ports.is_empty() {
        return Err(Failure::usage(no_ports_message(net, to, choice)));
    }
    let mut results = Vec::new();
    let mut all_allowed = true;
    let mut text = String::new();
    for (port, protocol) in ports {
        let q = Query {
            from,
            to,
            port,
            protocol,
        };
        let v = net.evaluate(&q);
        all_allowed &= v.allowed;
        if json {
            results.push(JsonResult {
                from: net.endpoint_name(from),
                to: net.endpoint_name(to),
                port,
                protocol: protocol.as_str(),
                allowed: v.allowed,
                loopback: v.loopback,
                egress: direction_json(net, v.egress.allowed, &v.egress.policies),
                ingress: direction_json(net, v.ingress.allowed, &v.ingress.policies),
            });
            continue;
        }
        let verdict = if v.allowed {
            paint(g.color, "32", "allowed")
        } else {
            paint(g.color, "31", "denied")
        };
        text.push_str(&format!(
            "{} -> {} on {port}/{protocol}: {verdict}\n",
            net.endpoint_name(from),
            net.endpoint_name(to)
        ));
        for line in net.explain(&q, &v) {
            let indent = "  ".repeat(line.depth + 1);
            text.push_str(&format!("{indent}{}\n", line.text));
            if let Some(loc) = line.location {
                text.push_str(&format!("{indent}  at {loc}\n"));
            }
        }
    }
    if json {
        print_json(&JsonOut { results });
    } else {
        print!("{text}");
    }
    Ok(if all_allowed { Exit::Pass } else { Exit::Fail })
}

fn no_ports_message(net: &Network, to: Endpoint, choice: &PortChoice) -> String {
    let name = net.endpoint_name(to);
    match choice {
        PortChoice::Named(n, _) => format!("{name} declares no container port named {n:?}"),
        PortChoice::Declared(Some(p)) => {
            format!("{name} declares no {p} container ports; give --port")
        }
        _ => format!("{name} declares no container ports; give --port"),
    }
}

/// Many sources or destinations: the matrix.
fn matrix(
    g: &Global,
    net: &Network,
    sources: &[Endpoint],
    dests: &[Endpoint],
    choice: &PortChoice,
    json: bool,
) -> Result<Exit, Failure> {
    let m = net.matrix(sources, dests, choice);
    for (d, &e) in dests.iter().enumerate() {
        if m.ports(d).is_empty() {
            eprintln!(
                "kubedojo: note: {}; it is left out",
                no_ports_message(net, e, choice)
            );
        }
    }
    if json {
        let results = m
            .iter()
            .map(|(s, d, k, c)| {
                let (port, protocol) = m.ports(d)[k];
                JsonResult {
                    from: net.endpoint_name(sources[s]),
                    to: net.endpoint_name(dests[d]),
                    port,
                    protocol: protocol.as_str(),
                    allowed: c.allowed,
                    loopback: c.loopback,
                    egress: direction_json(net, c.egress, m.egress_policies(s)),
                    ingress: direction_json(net, c.ingress, m.ingress_policies(d)),
                }
            })
            .collect();
        print_json(&JsonOut { results });
        return Ok(Exit::Pass);
    }
    let mut groups: Vec<(i32, Protocol)> = (0..dests.len())
        .flat_map(|d| m.ports(d).iter().copied())
        .collect();
    groups.sort();
    groups.dedup();
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    let (mut allowed, mut total) = (0usize, 0usize);
    for (port, protocol) in groups {
        let cols: Vec<(usize, usize)> = (0..dests.len())
            .filter_map(|d| {
                m.ports(d)
                    .iter()
                    .position(|&p| p == (port, protocol))
                    .map(|k| (d, k))
            })
            .collect();
        let names: Vec<String> = cols
            .iter()
            .map(|&(d, _)| net.endpoint_name(dests[d]))
            .collect();
        let rows: Vec<String> = sources.iter().map(|&s| net.endpoint_name(s)).collect();
        let first = rows.iter().map(String::len).max().unwrap_or(1).max(1);
        let _ = writeln!(out, "{port}/{protocol}");
        let mut header = format!("{:<first$}", "-");
        for n in &names {
            header.push_str("  ");
            header.push_str(n);
        }
        let _ = writeln!(out, "{}", header.trim_end());
        for (s, row) in rows.iter().enumerate() {
            let mut line = format!("{row:<first$}");
            for (i, &(d, k)) in cols.iter().enumerate() {
                let c = m.cell(s, d, k);
                total += 1;
                allowed += usize::from(c.allowed);
                let mark = if c.allowed {
                    paint(g.color, "32", ".")
                } else {
                    paint(g.color, "31", "X")
                };
                line.push_str("  ");
                line.push_str(&mark);
                line.push_str(&" ".repeat(names[i].len().saturating_sub(1)));
            }
            let _ = writeln!(out, "{}", line.trim_end());
        }
        let _ = writeln!(out);
    }
    let _ = writeln!(
        out,
        ". allowed, X denied; {allowed} of {total} connections allowed"
    );
    let _ = out.flush();
    Ok(Exit::Pass)
}

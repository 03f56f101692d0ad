//! `kubedojo cert check FILE [--role R] [--ca CA] [--key KEY] [--san N]...`:
//! X.509 as a cluster needs it. The text form opens with the table
//! `kubeadm certs check-expiration` prints, then every finding.

use super::Global;
use super::output::{Exit, Failure, paint, print_json};
use crate::engines::tls::timefmt::{kubeadm, short_duration};
use crate::engines::tls::{self, Material, Options, Report, Role, Want};
use crate::model::load::read_file;
use crate::model::yaml::Limits;
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub command: CertCommand,
}

#[derive(clap::Subcommand, Debug)]
pub enum CertCommand {
    /// Check a certificate (or request, kubeconfig, CSR object, TLS Secret).
    Check(CheckArgs),
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum RoleArg {
    Ca,
    Apiserver,
    Server,
    Client,
    KubeletClient,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Ca => Role::Ca,
            RoleArg::Apiserver => Role::Apiserver,
            RoleArg::Server => Role::Server,
            RoleArg::Client => Role::Client,
            RoleArg::KubeletClient => Role::KubeletClient,
        }
    }
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// PEM or DER certificate (a leaf first, then its chain), certificate
    /// request, kubeconfig, CertificateSigningRequest or kubernetes.io/tls Secret.
    pub file: PathBuf,
    /// What the certificate is for, as in kubeadm's PKI.
    #[arg(long, value_enum)]
    pub role: Option<RoleArg>,
    /// CA certificate(s) it must chain to (default: the CA inside a kubeconfig or Secret).
    #[arg(long, value_name = "CA")]
    pub ca: Option<PathBuf>,
    /// Private key that must belong to it (default: the key inside a kubeconfig or Secret).
    #[arg(long, value_name = "KEY")]
    pub key: Option<PathBuf>,
    /// A name clients will connect to; it must be among the SANs (repeatable).
    #[arg(long = "san", value_name = "NAME")]
    pub sans: Vec<String>,
    #[arg(long)]
    pub json: bool,
}

impl Args {
    pub fn json(&self) -> bool {
        match &self.command {
            CertCommand::Check(c) => c.json,
        }
    }
}

pub fn run(g: &Global, a: Args) -> Result<Exit, Failure> {
    match a.command {
        CertCommand::Check(c) => check(g, c),
    }
}

fn load(path: &Path, want: Want) -> Result<Material, Failure> {
    let input = read_file(path, &Limits::default())?;
    tls::read(&input.bytes, want).map_err(|e| Failure::usage(format!("{}: {e}", input.name)))
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn check(g: &Global, a: CheckArgs) -> Result<Exit, Failure> {
    let subject = load(&a.file, Want::Subject)?;
    let ca = a.ca.as_deref().map(|p| load(p, Want::Ca)).transpose()?;
    let key = a.key.as_deref().map(|p| load(p, Want::Key)).transpose()?;
    // A kubeconfig's certificate is a client certificate unless told otherwise.
    let from_kubeconfig = subject
        .source
        .as_deref()
        .is_some_and(|s| s.starts_with("kubeconfig"));
    let role = a
        .role
        .map(Role::from)
        .or(from_kubeconfig.then_some(Role::Client));
    let opts = Options {
        role,
        sans: a.sans.clone(),
        now: now(),
    };
    let report = tls::check(&subject, ca.as_ref(), key.as_ref(), &opts);
    if a.json {
        print_json(&report);
    } else {
        print_text(g, &a.file, &report, opts.now);
    }
    Ok(if report.ok { Exit::Pass } else { Exit::Fail })
}

fn table(rows: &[Vec<String>]) {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for r in rows {
        let line: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(i, s)| format!("{s:<w$}", w = widths[i]))
            .collect();
        println!("{}", line.join("   ").trim_end());
    }
}

fn print_text(g: &Global, file: &Path, r: &Report, now: i64) {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| file.display().to_string());
    if let Some(until) = r.not_after_ts {
        let issuer_cn = r
            .chain
            .first()
            .and_then(|c| c.common_name.clone())
            .or_else(|| r.issuer.clone())
            .unwrap_or_default();
        table(&[
            vec![
                "CERTIFICATE".into(),
                "EXPIRES".into(),
                "RESIDUAL TIME".into(),
                "CERTIFICATE AUTHORITY".into(),
            ],
            vec![name, kubeadm(until), short_duration(until - now), issuer_cn],
        ]);
        if !r.chain.is_empty() {
            println!();
            let mut rows = vec![vec![
                "CERTIFICATE AUTHORITY".to_string(),
                "EXPIRES".into(),
                "RESIDUAL TIME".into(),
            ]];
            for c in &r.chain {
                rows.push(vec![
                    c.common_name.clone().unwrap_or_else(|| c.subject.clone()),
                    kubeadm(c.not_after_ts),
                    short_duration(c.not_after_ts - now),
                ]);
            }
            table(&rows);
        }
        println!();
    } else {
        println!("{name}: {}", r.kind);
    }
    if let Some(s) = &r.source {
        println!("from:     {s}");
    }
    println!("subject:  {}", r.subject);
    if let Some(i) = &r.issuer {
        println!("issuer:   {i}");
    }
    if !r.sans.is_empty() {
        println!("SANs:     {}", r.sans.join(", "));
    }
    println!("key:      {}", r.key);
    if let Some(e) = &r.extended_key_usage {
        println!(
            "usage:    {}",
            if e.is_empty() {
                "other".into()
            } else {
                e.join(", ")
            }
        );
    }
    for f in &r.findings {
        let mark = if f.passed {
            paint(g.color, "32", "✓")
        } else {
            paint(g.color, "31", "✗")
        };
        let check = serde_json::to_value(f.check)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        println!("{mark} {check}: {}", f.message);
    }
    if r.ok {
        println!("{}", paint(g.color, "32", "ok"));
    } else {
        let failed: Vec<String> = r
            .failed_checks
            .iter()
            .filter_map(|c| serde_json::to_value(c).ok())
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        println!(
            "{}",
            paint(g.color, "31", &format!("failed: {}", failed.join(", ")))
        );
    }
}

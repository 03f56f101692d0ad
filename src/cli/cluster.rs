//! `kubedojo cluster up|down|status|setup|reset`: the kind practice cluster
//! and the starting state of live exercises.

use super::Global;
use super::output::{Exit, Failure, paint, print_json};
use crate::live::fixtures::{self, selector};
use crate::live::kind::{self, Cni};
use crate::live::{Session, Target};
use clap::Subcommand;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub command: Cmd,
}

/// Which cluster: kind's context for the kubedojo cluster unless told.
#[derive(clap::Args, Debug, Clone)]
pub struct Which {
    /// Kubeconfig context to use.
    #[arg(long, default_value = crate::live::DEFAULT_CONTEXT)]
    pub context: String,
    /// Allow a context whose server is not on this machine.
    #[arg(long)]
    pub allow_remote: bool,
}

impl Which {
    fn target(&self) -> Target {
        Target {
            context: self.context.clone(),
            allow_remote: self.allow_remote,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Create the kind cluster `kubedojo` (1 control plane, 2 workers, Kubernetes 1.36).
    Up {
        /// Pod network: kind's kindnet (enforces NetworkPolicy) or Calico.
        #[arg(long, value_enum, default_value = "kindnet")]
        cni: Cni,
    },
    /// Delete the kind cluster `kubedojo`.
    Down,
    /// What is there, what is missing (with the command to fix it), and
    /// whether NetworkPolicy is really enforced.
    Status {
        #[command(flatten)]
        which: Which,
        /// Skip the NetworkPolicy canary (it takes a few seconds).
        #[arg(long)]
        no_canary: bool,
        #[arg(long)]
        json: bool,
    },
    /// Apply an exercise's starting state (server-side apply, labelled with the exercise id).
    Setup {
        exercise: String,
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        json: bool,
    },
    /// Delete exactly the objects an exercise's setup created, nothing else.
    Reset {
        exercise: String,
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        json: bool,
    },
}

impl Args {
    pub fn json(&self) -> bool {
        match &self.command {
            Cmd::Status { json, .. } | Cmd::Setup { json, .. } | Cmd::Reset { json, .. } => *json,
            Cmd::Up { .. } | Cmd::Down => false,
        }
    }
}

pub fn run(g: &Global, a: Args) -> Result<Exit, Failure> {
    match a.command {
        Cmd::Up { cni } => {
            kind::up(cni).map_err(Failure::usage)?;
            eprintln!("kubedojo: cluster is up; checking it:");
            status(
                g,
                &Which {
                    context: crate::live::DEFAULT_CONTEXT.into(),
                    allow_remote: false,
                },
                false,
                false,
            )
        }
        Cmd::Down => {
            kind::down().map_err(Failure::usage)?;
            Ok(Exit::Pass)
        }
        Cmd::Status {
            which,
            no_canary,
            json,
        } => status(g, &which, !no_canary, json),
        Cmd::Setup {
            exercise,
            which,
            json,
        } => {
            let ex = g.content.exercise(&exercise)?;
            let session = Session::connect(&which.target())?;
            let applied = fixtures::setup(&session, &g.content, &ex)?;
            if json {
                print_json(&serde_json::json!({
                    "exercise": ex.id,
                    "context": session.at.context,
                    "applied": applied.applied,
                    "skipped": applied.skipped.iter().map(|(o, why)| serde_json::json!({"object": o, "why": why})).collect::<Vec<_>>(),
                }));
            } else {
                for o in &applied.applied {
                    println!("applied {o}");
                }
                for (o, why) in &applied.skipped {
                    println!("skipped {o}: {why}");
                }
                println!(
                    "{} is set up on {}; when done: kubedojo check {} --live",
                    ex.id, session.at.context, ex.id
                );
            }
            Ok(Exit::Pass)
        }
        Cmd::Reset {
            exercise,
            which,
            json,
        } => {
            let ex = g.content.exercise(&exercise)?;
            let session = Session::connect(&which.target())?;
            let deleted = fixtures::reset(&session, &g.content, &ex)?;
            if json {
                print_json(&serde_json::json!({
                    "exercise": ex.id,
                    "context": session.at.context,
                    "selector": selector(&ex.id),
                    "deleted": deleted,
                }));
            } else {
                for o in &deleted {
                    println!("deleted {o}");
                }
                println!(
                    "{}: {} objects labelled {} deleted; start again with: kubedojo cluster setup {}",
                    ex.id,
                    deleted.len(),
                    selector(&ex.id),
                    ex.id
                );
            }
            Ok(Exit::Pass)
        }
    }
}

fn status(g: &Global, which: &Which, canary: bool, json: bool) -> Result<Exit, Failure> {
    let s = kind::status(&which.target(), canary);
    if json {
        print_json(&s);
    } else {
        for i in &s.items {
            let mark = if i.ok {
                paint(g.color, "32", "✓")
            } else {
                paint(g.color, "31", "✗")
            };
            println!("{mark} {}: {}", i.name, i.detail);
            if let Some(f) = &i.fix {
                println!("    fix: {f}");
            }
        }
    }
    Ok(if s.ready { Exit::Pass } else { Exit::Fail })
}

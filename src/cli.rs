//! The command line: clap types, one module per subcommand, exit codes as
//! a contract (0 pass/yes, 1 fail/no, 2 bad input or usage). With `--json`
//! every command prints exactly one JSON document on stdout.

mod admit;
mod can_i;
mod cert;
mod check;
mod cluster;
mod list;
mod live_check;
mod output;
mod paths;
mod pipe;
mod podsec;
mod progress;
mod quantity;
mod reach;
mod schedule;
mod validate;
mod validate_content;

use crate::content::{Content, ContentSource, Lang};
use clap::{CommandFactory, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

pub use output::{Exit, Failure};

#[derive(Parser, Debug)]
#[command(
    name = "kubedojo",
    version,
    about = "Learn and rehearse the Kubernetes CKA and CKS exams in your terminal"
)]
#[command(after_help = "Run without a command to open the app.")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Language for lessons, prompts and hints (default: from LANG).
    #[arg(long, global = true, value_enum)]
    pub lang: Option<Lang>,
    /// Use lessons and exercises from this directory instead of the built-in ones.
    #[arg(long, global = true, value_name = "DIR")]
    pub content: Option<PathBuf>,
    /// No colours (also NO_COLOR=1).
    #[arg(long, global = true)]
    pub no_color: bool,
    /// Keep progress in this directory (also KUBEDOJO_HOME; `kubedojo paths` shows where).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// The app as plain lines of text, for screen readers: no boxes, no colour.
    #[arg(long, global = true)]
    pub plain: bool,
    /// Let the app take the mouse (off by default, so you can select and copy text).
    #[arg(long, global = true)]
    pub mouse: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Grade your files for an exercise.
    Check(check::Args),
    /// The kind practice cluster: up, down, status; exercise setup and reset.
    Cluster(cluster::Args),
    /// Would the API server accept these files? Every problem, at once.
    Validate(validate::Args),
    /// Check a content pack: lessons, YAML examples, exercises and their proofs.
    ValidateContent(validate_content::Args),
    /// Can a user do this? RBAC over the files, as `kubectl auth can-i --as` answers.
    #[command(name = "can-i")]
    CanI(can_i::Args),
    /// X.509 certificates as a cluster needs them.
    Cert(cert::Args),
    /// Would the PodSecurity admission controller let these pods in?
    Podsec(podsec::Args),
    /// Which pods can reach which, under the NetworkPolicies in the files.
    ///
    /// With --from and --to it answers one question and explains it: exit 0
    /// when allowed (on every port asked), 1 when denied. Without them it
    /// prints the matrix of every pod (a grid, or --json) and exits 0.
    /// Files the API server would reject are reported and exit 2.
    Reach(reach::Args),
    /// List the lessons.
    Lessons(list::LessonsArgs),
    /// List the exercises.
    Exercises(list::ExercisesArgs),
    /// Where can each pod run? Scheduler filters, taint scores, evictions.
    Schedule(schedule::Args),
    /// Would these pods be admitted? ResourceQuota and LimitRange, in order.
    Admit(admit::Args),
    /// Read quantities as the API server does, and print them back.
    Quantity(quantity::Args),
    /// Your progress: mastery per topic and exam domain, streak, what next.
    Progress(progress::Args),
    /// Where kubedojo keeps its files.
    Paths(paths::Args),
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// Settings every command shares.
pub struct Global {
    pub lang: Lang,
    pub content: Content,
    pub color: bool,
    /// `--data-dir`, if given (see `progress::Paths::resolve`).
    pub data_dir: Option<PathBuf>,
}

pub fn main() -> ExitCode {
    pipe::quiet_on_broken_pipe();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            // clap: 0 for --help/--version, 2 for usage errors.
            return ExitCode::from(e.exit_code().clamp(0, 2) as u8);
        }
    };
    let json = cli_wants_json(&cli);
    match run(cli) {
        Ok(exit) => exit.into(),
        Err(f) => f.report(json),
    }
}

fn cli_wants_json(cli: &Cli) -> bool {
    match &cli.command {
        Some(Command::Check(a)) => a.json,
        Some(Command::Validate(a)) => a.json,
        Some(Command::CanI(a)) => a.json,
        Some(Command::Cluster(a)) => a.json(),
        Some(Command::Reach(a)) => a.json,
        Some(Command::Lessons(a)) => a.json,
        Some(Command::ValidateContent(a)) => a.json,
        Some(Command::Podsec(a)) => a.json,
        Some(Command::Cert(a)) => a.json(),
        Some(Command::Exercises(a)) => a.json,
        Some(Command::Schedule(a)) => a.json,
        Some(Command::Admit(a)) => a.json,
        Some(Command::Quantity(a)) => a.json,
        Some(Command::Progress(a)) => a.wants_json(),
        Some(Command::Paths(a)) => a.json,
        _ => false,
    }
}

fn run(cli: Cli) -> Result<Exit, Failure> {
    let content = match &cli.content {
        Some(dir) => Content::new(ContentSource::Dir(dir.clone())).map_err(Failure::from)?,
        None => Content::embedded(),
    };
    let g = Global {
        lang: Lang::detect(cli.lang),
        content,
        color: output::use_color(cli.no_color || cli.plain),
        data_dir: cli.data_dir,
    };
    match cli.command {
        Some(Command::Check(a)) => check::run(&g, a),
        Some(Command::Validate(a)) => validate::run(&g, a),
        Some(Command::CanI(a)) => can_i::run(&g, a),
        Some(Command::Cluster(a)) => cluster::run(&g, a),
        Some(Command::Reach(a)) => reach::run(&g, a),
        Some(Command::Lessons(a)) => list::lessons(&g, a),
        Some(Command::ValidateContent(a)) => validate_content::run(&g, a),
        Some(Command::Podsec(a)) => podsec::run(&g, a),
        Some(Command::Cert(a)) => cert::run(&g, a),
        Some(Command::Exercises(a)) => list::exercises(&g, a),
        Some(Command::Schedule(a)) => schedule::run(&g, a),
        Some(Command::Admit(a)) => admit::run(&g, a),
        Some(Command::Quantity(a)) => quantity::run(&g, a),
        Some(Command::Progress(a)) => progress::run(&g, a),
        Some(Command::Paths(a)) => paths::run(&g, a),
        Some(Command::Completions { shell }) => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "kubedojo",
                &mut std::io::stdout(),
            );
            Ok(Exit::Pass)
        }
        None => crate::tui::run(crate::tui::RunOptions {
            content: g.content,
            lang: g.lang,
            color: g.color,
            data_dir: g.data_dir,
            plain: cli.plain,
            mouse: cli.mouse,
        }),
    }
}

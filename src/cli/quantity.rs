//! `kubedojo quantity VALUE...`: how the API server reads a quantity and
//! how it prints it back.

use super::Global;
use super::output::{Exit, Failure, paint, print_json};
use crate::engines::quantity::Quantity;
use serde::Serialize;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Quantities such as 500m, 1.5Gi, 2e3 (put `--` before negative ones).
    #[arg(required = true, value_name = "VALUE", allow_negative_numbers = true)]
    pub values: Vec<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
pub struct Row {
    pub input: String,
    pub ok: bool,
    /// What the API server stores and prints back.
    pub canonical: Option<String>,
    /// The value in thousandths, as an exact decimal string.
    pub milli: Option<String>,
    pub error: Option<String>,
}

pub fn row(input: &str) -> Row {
    match Quantity::parse(input) {
        Ok(q) => Row {
            input: input.to_string(),
            ok: true,
            canonical: Some(q.canonical()),
            milli: q.milli_exact(),
            error: None,
        },
        Err(e) => Row {
            input: input.to_string(),
            ok: false,
            canonical: None,
            milli: None,
            error: Some(e.to_string()),
        },
    }
}

pub fn run(g: &Global, a: Args) -> Result<Exit, Failure> {
    let rows: Vec<Row> = a.values.iter().map(|v| row(v)).collect();
    let all_ok = rows.iter().all(|r| r.ok);
    if a.json {
        print_json(&rows);
    } else {
        for r in &rows {
            match (&r.canonical, &r.error) {
                (Some(c), _) => println!(
                    "{} → {}  (milli: {})",
                    r.input,
                    paint(g.color, "1", c),
                    r.milli.as_deref().unwrap_or("too large to write out")
                ),
                (None, Some(e)) => {
                    println!("{}: {} {e}", r.input, paint(g.color, "31", "invalid:"))
                }
                (None, None) => {}
            }
        }
    }
    Ok(if all_ok { Exit::Pass } else { Exit::Fail })
}

//! Checkers that need no engine: an object exists, a field has a value,
//! an answer matches.

use super::registry::{Checker, Ctx, LiveHook, Outcome, params};
use crate::model::{FieldPath, Object};
use serde::Deserialize;

pub static CHECKERS: &[Checker] = &[
    Checker {
        name: "exists",
        about: "an object of this kind and name exists (in the learner's files or the given state)",
        run: exists,
    },
    Checker {
        name: "field",
        about: "a field of an object equals a value (compared as JSON values, never as text)",
        run: field,
    },
    Checker {
        name: "answer",
        about: "the learner's answer file has this value under this key",
        run: answer,
    },
];

/// `exists` and `field` read the kind their parameters name.
pub static LIVE: &[LiveHook] = &[
    LiveHook {
        checker: "exists",
        kinds: kind_param,
        questions: |_| Vec::new(),
    },
    LiveHook {
        checker: "field",
        kinds: kind_param,
        questions: |_| Vec::new(),
    },
];

fn kind_param(p: &serde_json::Value) -> Vec<String> {
    p.get("kind")
        .and_then(|k| k.as_str())
        .map(|k| vec![k.to_string()])
        .unwrap_or_default()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectSel {
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub namespace: Option<String>,
}

impl ObjectSel {
    pub fn find<'a>(&self, ctx: &'a Ctx) -> Option<&'a Object> {
        ctx.model.objects.iter().find(|o| {
            o.id.kind == self.kind
                && o.id.name == self.name
                && (self.namespace.is_none() || o.id.namespace == self.namespace)
        })
    }

    pub fn describe(&self) -> String {
        match &self.namespace {
            Some(ns) => format!("{}/{}/{}", self.kind, ns, self.name),
            None => format!("{}/{}", self.kind, self.name),
        }
    }
}

fn exists(p: &serde_json::Value, ctx: &Ctx) -> Result<Outcome, String> {
    let sel: ObjectSel = params(p)?;
    Ok(match sel.find(ctx) {
        Some(o) => Outcome::pass(format!("{} exists", o.id)).at(o.locate(&FieldPath::root())),
        None => {
            let same_name: Vec<String> = ctx
                .model
                .objects
                .iter()
                .filter(|o| o.id.name == sel.name)
                .map(|o| o.id.to_string())
                .collect();
            let detail = if same_name.is_empty() {
                format!("no {} found", sel.describe())
            } else {
                format!(
                    "no {} found (found {} instead)",
                    sel.describe(),
                    same_name.join(", ")
                )
            };
            Outcome::fail(detail)
        }
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldParams {
    #[serde(flatten)]
    object: ObjectSel,
    path: String,
    equals: serde_json::Value,
    /// The value the API server defaults the field to when it is not set
    /// (an unset `reclaimPolicy` is `Delete`): a learner who leaves a
    /// default out is right.
    #[serde(default)]
    default: Option<serde_json::Value>,
}

fn field(p: &serde_json::Value, ctx: &Ctx) -> Result<Outcome, String> {
    let fp: FieldParams = params(p)?;
    let Some(o) = fp.object.find(ctx) else {
        return Ok(Outcome::fail(format!("no {} found", fp.object.describe())));
    };
    // Objects from files are read as written; objects listed from a live
    // cluster have no file, so their typed body is the record.
    let json = match (&o.typed, &o.origin) {
        (crate::model::Typed::Other(v), _) => v.clone(),
        (_, Some(origin)) => origin.node().to_json(),
        (typed, None) => typed.to_json(),
    };
    let path = FieldPath::parse(&fp.path);
    let got = lookup(&json, &path);
    let loc = o.locate(&path);
    Ok(match got {
        Some(v) if *v == fp.equals => Outcome::pass(format!("{} is {}", fp.path, v)).at(loc),
        Some(v) => Outcome::fail(format!("{} is {}, expected {}", fp.path, v, fp.equals)).at(loc),
        None => match &fp.default {
            Some(d) if *d == fp.equals => {
                Outcome::pass(format!("{} is not set, so it defaults to {d}", fp.path)).at(loc)
            }
            Some(d) => Outcome::fail(format!(
                "{} is not set, so it defaults to {d}; expected {}",
                fp.path, fp.equals
            ))
            .at(loc),
            None => {
                Outcome::fail(format!("{} is not set, expected {}", fp.path, fp.equals)).at(loc)
            }
        },
    })
}

fn lookup<'a>(json: &'a serde_json::Value, path: &FieldPath) -> Option<&'a serde_json::Value> {
    use crate::model::path::Seg;
    let mut cur = json;
    for seg in &path.0 {
        cur = match seg {
            Seg::Field(f) | Seg::Key(f) => cur.get(f)?,
            Seg::Index(i) => cur.get(*i)?,
        };
    }
    Some(cur)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswerParams {
    key: String,
    equals: serde_json::Value,
    /// Compare strings ignoring case and surrounding space.
    #[serde(default)]
    loose: bool,
}

fn answer(p: &serde_json::Value, ctx: &Ctx) -> Result<Outcome, String> {
    let ap: AnswerParams = params(p)?;
    let Some(given) = ctx.answers.get(&ap.key) else {
        return Ok(Outcome::fail(format!(
            "no answer under `{}:` in your answer file",
            ap.key
        )));
    };
    let same = answers_equal(given, &ap.equals, ap.loose);
    Ok(if same {
        Outcome::pass(format!("{} is {}", ap.key, given))
    } else {
        Outcome::fail(format!("{} is {}, which is not right", ap.key, given))
    })
}

/// Lists compare as sets (the order of groups or nodes does not matter).
fn answers_equal(a: &serde_json::Value, b: &serde_json::Value, loose: bool) -> bool {
    use serde_json::Value as J;
    match (a, b) {
        (J::Array(x), J::Array(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|xi| y.iter().any(|yi| answers_equal(xi, yi, loose)))
        }
        (J::String(x), J::String(y)) if loose => x.trim().eq_ignore_ascii_case(y.trim()),
        (J::Number(x), J::String(y)) | (J::String(y), J::Number(x)) => x.to_string() == y.trim(),
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn answers_compare_lists_as_sets() {
        assert!(answers_equal(&json!(["a", "b"]), &json!(["b", "a"]), false));
        assert!(!answers_equal(&json!(["a"]), &json!(["a", "b"]), false));
        assert!(answers_equal(&json!(" Jane "), &json!("jane"), true));
        assert!(!answers_equal(&json!("Jane"), &json!("jane"), false));
        assert!(answers_equal(&json!(30), &json!("30"), false));
    }
}

#[cfg(test)]
mod field_default_tests {
    use super::*;
    use crate::content::Lang;
    use crate::model::load::Input;
    use serde_json::json;

    // StorageClass defaulting (pkg/apis/storage/v1/defaults.go
    // SetDefaults_StorageClass): reclaimPolicy Delete, volumeBindingMode
    // Immediate when left out.
    #[test]
    fn unset_field_is_judged_by_its_default() {
        let yaml = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: fast}\nprovisioner: ebs.csi.aws.com\n";
        let v = crate::validate::validate_inputs(&[Input::new("t.yaml", yaml.as_bytes().to_vec())])
            .expect("loads");
        let m = v.into_model();
        let answers = serde_json::Map::new();
        let ctx = Ctx::new(&m, &answers, Lang::En);
        let p = |path: &str, equals: &str, default: Option<&str>| {
            let mut v =
                json!({"kind": "StorageClass", "name": "fast", "path": path, "equals": equals});
            if let Some(d) = default {
                v["default"] = json!(d);
            }
            v
        };
        let ok = field(&p("reclaimPolicy", "Delete", Some("Delete")), &ctx).expect("runs");
        assert!(
            ok.passed && ok.detail.contains("defaults to"),
            "{}",
            ok.detail
        );
        let bad = field(
            &p(
                "volumeBindingMode",
                "WaitForFirstConsumer",
                Some("Immediate"),
            ),
            &ctx,
        )
        .expect("runs");
        assert!(
            !bad.passed && bad.detail.contains("defaults to \"Immediate\""),
            "{}",
            bad.detail
        );
        let plain = field(&p("reclaimPolicy", "Delete", None), &ctx).expect("runs");
        assert!(
            !plain.passed && plain.detail.contains("is not set"),
            "{}",
            plain.detail
        );
    }
}

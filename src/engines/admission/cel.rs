//! CEL as the API server runs it for admission: one environment (the
//! standard library, the strings and lists extensions, and the Kubernetes
//! libraries we implement in `k8s_lib`), compilation that rejects what the
//! API server would reject (syntax errors, undeclared variables and
//! functions) and flags what we cannot evaluate (a Kubernetes function we
//! do not implement), and evaluation over JSON objects.
//!
//! upstream: staging/src/k8s.io/apiserver/pkg/cel/environment/base.go
//! (the libraries of the base environment), admission/plugin/cel/compile.go
//! (variables `object`, `oldObject`, `request`, `params`,
//! `namespaceObject`, `variables`, `authorizer`; object, oldObject and
//! params are declared `dyn`, so type errors only show at run time),
//! admission/plugin/cel/activation.go (error wording).

use super::k8s_lib;
use cel::common::ast::{EntryExpr, Expr, IdedExpr};
use cel::common::types::MAP_TYPE;
use cel::common::types::Type;
use cel::common::value::{CowVal, Val};
use cel::{Context, Env, ExecutionError, Value};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;
use std::sync::{Arc, OnceLock};

/// The shared environment: building it registers a few hundred overloads.
pub fn env() -> Arc<Env> {
    static ENV: OnceLock<Arc<Env>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Env::stdlib();
        // Registration of our own overloads cannot clash with the standard
        // ones (tested); a failure would only drop a library.
        let _ = env.add_extension(cel::extensions::strings);
        let _ = env.add_extension(cel::extensions::lists);
        let _ = env.add_extension(k8s_lib::register);
        Arc::new(env)
    })
    .clone()
}

/// Functions (and macros that survive parsing) our environment evaluates,
/// besides operators. Kept as data so compilation can tell "the API server
/// would reject this" from "kubedojo cannot evaluate this".
const SUPPORTED: &[&str] = &[
    // standard library
    "size",
    "contains",
    "startsWith",
    "endsWith",
    "matches",
    "int",
    "uint",
    "double",
    "string",
    "bytes",
    "bool",
    "dyn",
    "type",
    "optional.of",
    "optional.ofNonZeroValue",
    "optional.none",
    "hasValue",
    "value",
    "or",
    "orValue",
    // ext.Strings (version 2)
    "charAt",
    "indexOf",
    "lastIndexOf",
    "lowerAscii",
    "upperAscii",
    "replace",
    "split",
    "substring",
    "trim",
    "join",
    "format",
    "strings.quote",
    // ext.Lists (version 3)
    "slice",
    "flatten",
    "distinct",
    "reverse",
    "sort",
    "lists.range",
    "@sortByAssociatedKeys",
    // Kubernetes library: lists, regex, quantity; ext.Sets
    "isSorted",
    "sum",
    "min",
    "max",
    "find",
    "findAll",
    "quantity",
    "isQuantity",
    "sign",
    "isGreaterThan",
    "isLessThan",
    "compareTo",
    "add",
    "sub",
    "asInteger",
    "isInteger",
    "asApproximateFloat",
    "sets.contains",
    "sets.equivalent",
    "sets.intersects",
];

/// Functions and variables a 1.36 API server knows that we do not
/// evaluate: an expression using one is reported, never guessed.
const UNSUPPORTED: &[&str] = &[
    // timestamps and durations (cel-go standard library)
    "duration",
    "timestamp",
    "getDate",
    "getDayOfMonth",
    "getDayOfWeek",
    "getDayOfYear",
    "getFullYear",
    "getHours",
    "getMilliseconds",
    "getMinutes",
    "getMonth",
    "getSeconds",
    // library.URLs
    "url",
    "isURL",
    "getScheme",
    "getHost",
    "getHostname",
    "getPort",
    "getEscapedPath",
    "getQuery",
    // library.IP and library.CIDR
    "ip",
    "isIP",
    "cidr",
    "isCIDR",
    "ip.isCanonical",
    "family",
    "isUnspecified",
    "isLoopback",
    "isLinkLocalMulticast",
    "isLinkLocalUnicast",
    "isGlobalUnicast",
    "containsIP",
    "containsCIDR",
    "prefixLength",
    "masked",
    // library.Semver
    "semver",
    "isSemver",
    "major",
    "minor",
    "patch",
    // library.Format
    "format.named",
    "format.dns1123Label",
    "format.dns1123Subdomain",
    "format.dns1035Label",
    "format.qualifiedName",
    "format.dns1123LabelPrefix",
    "format.dns1123SubdomainPrefix",
    "format.dns1035LabelPrefix",
    "format.labelValue",
    "format.uri",
    "format.uuid",
    "format.byte",
    "format.date",
    "format.datetime",
    "validate",
    // library.Authz and AuthzSelectors
    "path",
    "group",
    "resource",
    "subresource",
    "namespace",
    "name",
    "check",
    "allowed",
    "reason",
    "errored",
    "error",
    "serviceAccount",
    "fieldSelector",
    "labelSelector",
    // ext.TwoVarComprehensions
    "transformList",
    "transformMap",
    "transformMapEntry",
    // ext.Lists version 3
    "first",
    "last",
    // ext.Encoders is not in the Kubernetes environment; math neither.
];

/// Namespaces of qualified function names (`sets.contains`).
const NAMESPACES: &[&str] = &["sets", "strings", "lists", "optional", "format", "ip"];

/// What an expression may refer to, by the place it appears in.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Scope {
    pub has_params: bool,
    pub has_authorizer: bool,
    /// Names of the policy's variables visible to this expression.
    pub variables: Vec<String>,
}

/// Why an expression does not compile.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CompileError {
    /// The API server rejects the object: `compilation failed: ...`.
    #[error("compilation failed: {0}")]
    Invalid(String),
    /// Valid on a 1.36 API server, but kubedojo cannot evaluate it.
    #[error("unsupported function {0}: kubedojo does not evaluate it offline")]
    Unsupported(String),
}

/// A compiled expression and the policy variables it reads.
#[derive(Debug)]
pub struct Program {
    pub source: String,
    program: cel::Program,
    pub reads_variables: BTreeSet<String>,
}

/// Compiled expressions by source and scope. Compiling is a pure function
/// of the two and costs far more than evaluating (the parser is ANTLR's),
/// while one policy is evaluated for every request it sees.
type Compiled = Result<Rc<Program>, CompileError>;

thread_local! {
    static COMPILED: RefCell<HashMap<(String, Scope), Compiled>> = RefCell::new(HashMap::new());
}

/// How many compiled expressions a thread keeps before starting over.
const COMPILED_KEPT: usize = 1024;

/// Compile `source` as the API server compiles an admission expression
/// in `scope` (once per thread for each source and scope).
pub fn compile(source: &str, scope: &Scope) -> Compiled {
    let key = (source.to_string(), scope.clone());
    if let Some(hit) = COMPILED.with_borrow(|c| c.get(&key).cloned()) {
        return hit;
    }
    let compiled = compile_uncached(source, scope).map(Rc::new);
    COMPILED.with_borrow_mut(|c| {
        if c.len() >= COMPILED_KEPT {
            c.clear();
        }
        c.insert(key, compiled.clone());
    });
    compiled
}

fn compile_uncached(source: &str, scope: &Scope) -> Result<Program, CompileError> {
    let env = env();
    let program = env
        .compile(source)
        .map_err(|e| CompileError::Invalid(format!("ERROR: <input>: {e}")))?;
    let mut check = Check {
        scope,
        locals: Vec::new(),
        reads_variables: BTreeSet::new(),
        error: None,
    };
    check.expr(program.expression());
    if let Some(e) = check.error {
        return Err(e);
    }
    Ok(Program {
        source: source.to_string(),
        program,
        reads_variables: check.reads_variables,
    })
}

/// Walks the parsed expression for names the environment does not declare.
struct Check<'a> {
    scope: &'a Scope,
    /// Comprehension variables in scope.
    locals: Vec<String>,
    reads_variables: BTreeSet<String>,
    error: Option<CompileError>,
}

impl Check<'_> {
    fn fail(&mut self, e: CompileError) {
        // An unsupported function is only worth reporting when nothing
        // makes the expression invalid outright.
        match (&self.error, &e) {
            (None, _) | (Some(CompileError::Unsupported(_)), CompileError::Invalid(_)) => {
                self.error = Some(e)
            }
            _ => {}
        }
    }

    fn ident(&mut self, name: &str) {
        if name.starts_with('@') || self.locals.iter().any(|l| l == name) {
            return;
        }
        match name {
            "object" | "oldObject" | "request" | "namespaceObject" | "variables" => {}
            "params" if self.scope.has_params => {}
            "authorizer" if self.scope.has_authorizer => {
                self.fail(CompileError::Unsupported("authorizer".into()))
            }
            _ => self.fail(CompileError::Invalid(format!(
                "ERROR: <input>: undeclared reference to '{name}' (in container '')"
            ))),
        }
    }

    fn function(&mut self, name: &str) {
        let operator = !name.starts_with(|c: char| c.is_ascii_alphabetic());
        if operator || SUPPORTED.contains(&name) {
            return;
        }
        if UNSUPPORTED.contains(&name) {
            self.fail(CompileError::Unsupported(name.to_string()));
        } else {
            self.fail(CompileError::Invalid(format!(
                "ERROR: <input>: undeclared reference to '{name}' (in container '')"
            )));
        }
    }

    fn expr(&mut self, e: &IdedExpr) {
        match &e.expr {
            Expr::Unspecified | Expr::Literal(_) => {}
            Expr::Ident(name) => self.ident(name),
            Expr::Select(sel) => {
                if let Expr::Ident(base) = &sel.operand.expr
                    && base == "variables"
                    && !self.locals.iter().any(|l| l == "variables")
                {
                    if self.scope.variables.iter().any(|v| v == &sel.field) {
                        self.reads_variables.insert(sel.field.clone());
                    } else {
                        self.fail(CompileError::Invalid(format!(
                            "ERROR: <input>: undefined field '{}'",
                            sel.field
                        )));
                    }
                    return;
                }
                self.expr(&sel.operand);
            }
            Expr::Call(call) => {
                match call.target.as_deref() {
                    Some(IdedExpr {
                        expr: Expr::Ident(ns),
                        ..
                    }) if NAMESPACES.contains(&ns.as_str())
                        && !self.locals.iter().any(|l| l == ns)
                        && !is_variable(ns) =>
                    {
                        self.function(&format!("{ns}.{}", call.func_name));
                    }
                    Some(target) => {
                        // The receiver first: `ip(x).family()` reports `ip`.
                        self.expr(target);
                        self.function(&call.func_name);
                    }
                    None => self.function(&call.func_name),
                }
                for a in &call.args {
                    self.expr(a);
                }
            }
            Expr::Comprehension(c) => {
                self.expr(&c.iter_range);
                self.expr(&c.accu_init);
                let before = self.locals.len();
                self.locals.push(c.iter_var.clone());
                if let Some(v2) = &c.iter_var2 {
                    self.locals.push(v2.clone());
                }
                self.locals.push(c.accu_var.clone());
                self.expr(&c.loop_cond);
                self.expr(&c.loop_step);
                self.expr(&c.result);
                self.locals.truncate(before);
            }
            Expr::List(l) => {
                for e in &l.elements {
                    self.expr(e);
                }
            }
            Expr::Map(m) => self.entries(&m.entries),
            Expr::Struct(s) => self.entries(&s.entries),
        }
    }

    fn entries(&mut self, entries: &[cel::common::ast::IdedEntryExpr]) {
        for entry in entries {
            match &entry.expr {
                EntryExpr::StructField(f) => self.expr(&f.value),
                EntryExpr::MapEntry(m) => {
                    self.expr(&m.key);
                    self.expr(&m.value);
                }
            }
        }
    }
}

fn is_variable(name: &str) -> bool {
    matches!(
        name,
        "object" | "oldObject" | "request" | "params" | "namespaceObject" | "variables"
    )
}

/// JSON as the API server hands it to CEL (`UnstructuredToVal`): integers
/// are `int`, other numbers `double`, objects maps with string keys.
pub fn to_value(json: &serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => Value::Int(i),
            (None, Some(u)) => Value::UInt(u),
            _ => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        serde_json::Value::String(s) => Value::String(Arc::new(s.clone())),
        serde_json::Value::Array(items) => {
            Value::List(Arc::new(items.iter().map(to_value).collect()))
        }
        serde_json::Value::Object(fields) => {
            let map: std::collections::HashMap<cel::objects::Key, Value> = fields
                .iter()
                .map(|(k, v)| (cel::objects::Key::String(Arc::new(k.clone())), to_value(v)))
                .collect();
            Value::Map(cel::objects::Map { map: Arc::new(map) })
        }
    }
}

/// The inputs of one evaluation (upstream's activation).
#[derive(Clone, Debug, Default)]
pub struct Activation {
    pub object: Option<serde_json::Value>,
    pub old_object: Option<serde_json::Value>,
    pub request: serde_json::Value,
    pub params: Option<serde_json::Value>,
    pub namespace_object: Option<serde_json::Value>,
}

/// The values bound for an evaluation, converted once and shared by every
/// expression of a policy.
pub struct Bound {
    vars: Vec<(&'static str, Value)>,
    variables: BTreeMap<String, Result<Value, ExecutionError>>,
}

impl Bound {
    pub fn new(a: &Activation) -> Bound {
        let opt = |v: &Option<serde_json::Value>| v.as_ref().map(to_value).unwrap_or(Value::Null);
        Bound {
            vars: vec![
                ("object", opt(&a.object)),
                ("oldObject", opt(&a.old_object)),
                ("request", to_value(&a.request)),
                ("params", opt(&a.params)),
                ("namespaceObject", opt(&a.namespace_object)),
            ],
            variables: BTreeMap::new(),
        }
    }

    /// Evaluate and remember a policy variable; later expressions read it
    /// as `variables.NAME` (an error surfaces only where it is read).
    pub fn define(&mut self, name: &str, program: &Program) {
        let v = self.run(program);
        self.variables.insert(name.to_string(), v);
    }

    /// A variable whose expression does not compile.
    pub fn define_failed(&mut self, name: &str, message: String) {
        self.variables.insert(
            name.to_string(),
            Err(ExecutionError::function_error("variables", message)),
        );
    }

    fn run(&self, program: &Program) -> Result<Value, ExecutionError> {
        let mut ctx = Context::with_env(env());
        for (name, value) in &self.vars {
            ctx.add_variable_from_value(*name, value.clone());
        }
        let vars = Variables(
            self.variables
                .iter()
                .filter(|(k, _)| program.reads_variables.contains(*k))
                .map(|(k, v)| {
                    let v = v
                        .clone()
                        .and_then(|v| Box::<dyn Val>::try_from(v).map(Some))
                        .map(|v| v.unwrap_or_else(|| Box::new(cel::common::types::CelNull)));
                    (k.clone(), v)
                })
                .collect(),
        );
        ctx.add_variable_as_val("variables", Box::new(vars));
        program.program.execute(&ctx)
    }

    /// Evaluate `program`, with errors worded as the API server words them.
    pub fn eval(&self, program: &Program) -> Result<Value, String> {
        self.run(program).map_err(|e| {
            format!(
                "expression '{}' resulted in error: {}",
                program.source,
                error_text(&e)
            )
        })
    }
}

/// cel-go's wording for the runtime errors learners meet.
pub fn error_text(e: &ExecutionError) -> String {
    match e {
        ExecutionError::NoSuchKey(k) => format!("no such key: {k}"),
        ExecutionError::NoSuchOverload(o) => format!("no such overload: {o}"),
        ExecutionError::UndeclaredReference(name) => {
            format!("no such overload: {name}")
        }
        ExecutionError::DivisionByZero(_) => "division by zero".into(),
        ExecutionError::RemainderByZero(_) => "modulus by zero".into(),
        ExecutionError::IndexOutOfBounds(v) => format!("index out of range: {v:?}"),
        ExecutionError::FunctionError { message, .. } => message.clone(),
        other => other.to_string(),
    }
}

/// `variables`: each policy variable's value, or the error its expression
/// raised, reported where it is read (upstream evaluates them lazily).
#[derive(Debug)]
struct Variables(BTreeMap<String, Result<Box<dyn Val>, ExecutionError>>);

impl Val for Variables {
    fn get_type(&self) -> &Type {
        &MAP_TYPE
    }

    fn cel_type() -> &'static Type {
        &MAP_TYPE
    }

    fn clone_as_boxed<'v>(&self) -> Box<dyn Val + 'v> {
        Box::new(Variables(
            self.0
                .iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v.as_ref().map(|v| v.clone_as_boxed()).map_err(Clone::clone),
                    )
                })
                .collect(),
        ))
    }

    fn as_indexer<'b, 'v>(&'b self) -> Option<&'b (dyn cel::common::traits::Indexer + 'v)>
    where
        Self: 'v,
    {
        Some(self)
    }
}

impl cel::common::traits::Indexer for Variables {
    fn get<'b, 'v>(&'b self, idx: &dyn Val) -> Result<CowVal<'b, 'v>, ExecutionError>
    where
        Self: 'v,
    {
        let name = Value::try_from(idx)
            .ok()
            .and_then(|v| match v {
                Value::String(s) => Some(s.to_string()),
                _ => None,
            })
            .unwrap_or_default();
        match self.0.get(&name) {
            Some(Ok(v)) => Ok(CowVal::Borrowed(v.as_ref())),
            Some(Err(e)) => Err(e.clone()),
            None => Err(ExecutionError::no_such_key(&name)),
        }
    }

    fn steal<'v>(self: Box<Self>, idx: &dyn Val) -> Result<Box<dyn Val + 'v>, ExecutionError>
    where
        Self: 'v,
    {
        self.get(idx).map(|v| v.into_owned())
    }
}

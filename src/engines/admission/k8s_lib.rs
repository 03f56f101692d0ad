//! The Kubernetes CEL libraries policy authors use most, on top of the
//! `cel` crate: quantities, the list helpers, regex `find`, and ext.Sets.
//!
//! upstream: staging/src/k8s.io/apiserver/pkg/cel/library/quantity.go,
//! lists.go, regex.go; cel-go ext/sets.go.

use crate::engines::quantity::Quantity as Qty;
use cel::common::types::{DYN_TYPE, INT_TYPE, LIST_TYPE, STRING_TYPE, Type};
use cel::common::value::{CowVal, StaticVal, Val};
use cel::{DeclarationError, Env, ExecutionError, Value};
use std::any::Any;
use std::cmp::Ordering;
use std::sync::Arc;

static QUANTITY_TYPE: Type = Type::new_unspecified_type("kubernetes.Quantity");

/// A `kubernetes.Quantity` value.
#[derive(Debug, Clone)]
pub struct QuantityVal(pub Qty);

impl Val for QuantityVal {
    fn get_type(&self) -> &Type {
        &QUANTITY_TYPE
    }
    fn cel_type() -> &'static Type {
        &QUANTITY_TYPE
    }
    fn equals(&self, other: &dyn Val) -> bool {
        // upstream: Quantity.Equal compares values, so 1 == 1000m.
        other
            .downcast_ref::<QuantityVal>()
            .is_some_and(|o| o.0.cmp_value(&self.0) == Ordering::Equal)
    }
    fn clone_as_boxed<'v>(&self) -> Box<dyn Val + 'v> {
        Box::new(self.clone())
    }
    fn as_any(&self) -> Option<&dyn Any> {
        Some(self)
    }
}
impl StaticVal for QuantityVal {}

type Args<'b, 'v> = Vec<CowVal<'b, 'v>>;
type Ret<'b, 'v> = Result<CowVal<'b, 'v>, ExecutionError>;

fn value(v: &CowVal) -> Result<Value, ExecutionError> {
    Value::try_from(v.as_ref())
}

fn out<'b, 'v>(v: Value) -> Ret<'b, 'v> {
    Ok(CowVal::Owned(Box::<dyn Val>::try_from(v)?))
}

fn string_arg(args: &Args, i: usize) -> Result<Arc<String>, ExecutionError> {
    match args.get(i).map(value).transpose()? {
        Some(Value::String(s)) => Ok(s),
        _ => Err(ExecutionError::function_error(
            "",
            "expected a string argument",
        )),
    }
}

fn quantity_arg<'a>(args: &'a Args, i: usize) -> Result<&'a Qty, ExecutionError> {
    args.get(i)
        .and_then(|v| v.downcast_ref::<QuantityVal>())
        .map(|q| &q.0)
        .ok_or_else(|| ExecutionError::function_error("", "expected a quantity argument"))
}

fn int_arg(args: &Args, i: usize) -> Result<i64, ExecutionError> {
    match args.get(i).map(value).transpose()? {
        Some(Value::Int(n)) => Ok(n),
        _ => Err(ExecutionError::function_error(
            "",
            "expected an int argument",
        )),
    }
}

fn list_arg(args: &Args, i: usize) -> Result<Arc<Vec<Value>>, ExecutionError> {
    match args.get(i).map(value).transpose()? {
        Some(Value::List(l)) => Ok(l),
        _ => Err(ExecutionError::function_error(
            "",
            "expected a list argument",
        )),
    }
}

/// The message `resource.ParseQuantity` fails with.
const QUANTITY_FORMAT: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

fn quantity<'b, 'v>(args: Args<'b, 'v>) -> Ret<'b, 'v> {
    let s = string_arg(&args, 0)?;
    let q =
        Qty::parse(&s).map_err(|_| ExecutionError::function_error("quantity", QUANTITY_FORMAT))?;
    Ok(CowVal::owned(QuantityVal(q)))
}

fn is_quantity<'b, 'v>(args: Args<'b, 'v>) -> Ret<'b, 'v> {
    let s = string_arg(&args, 0)?;
    out(Value::Bool(Qty::parse(&s).is_ok()))
}

fn sign<'b, 'v>(args: Args<'b, 'v>) -> Ret<'b, 'v> {
    out(Value::Int(i64::from(quantity_arg(&args, 0)?.sign())))
}

fn cmp(args: &Args) -> Result<Ordering, ExecutionError> {
    Ok(quantity_arg(args, 0)?.cmp_value(quantity_arg(args, 1)?))
}

fn is_greater_than<'b, 'v>(args: Args<'b, 'v>) -> Ret<'b, 'v> {
    out(Value::Bool(cmp(&args)? == Ordering::Greater))
}

fn is_less_than<'b, 'v>(args: Args<'b, 'v>) -> Ret<'b, 'v> {
    out(Value::Bool(cmp(&args)? == Ordering::Less))
}

fn compare_to<'b, 'v>(args: Args<'b, 'v>) -> Ret<'b, 'v> {
    out(Value::Int(match cmp(&args)? {
        Ordering::Less => -1,
        Ordering::Equal => 0,
        Ordering::Greater => 1,
    }))
}

fn other_quantity(args: &Args) -> Result<Qty, ExecutionError> {
    match quantity_arg(args, 1) {
        Ok(q) => Ok(q.clone()),
        Err(_) => {
            let n = int_arg(args, 1)?;
            Ok(Qty::from_i64(
                n,
                0,
                crate::engines::quantity::Format::DecimalSi,
            ))
        }
    }
}

fn add<'b, 'v>(args: Args<'b, 'v>) -> Ret<'b, 'v> {
    let sum = quantity_arg(&args, 0)?.add(&other_quantity(&args)?);
    Ok(CowVal::owned(QuantityVal(sum)))
}

fn sub<'b, 'v>(args: Args<'b, 'v>) -> Ret<'b, 'v> {
    let diff = quantity_arg(&args, 0)?.sub(&other_quantity(&args)?);
    Ok(CowVal::owned(QuantityVal(diff)))
}

/// `AsInt64`: the value when it is a whole number that fits in an int64.
fn as_int64(q: &Qty) -> Option<i64> {
    let nano = q.to_nano();
    if nano == i128::MAX || nano == i128::MIN || nano % 1_000_000_000 != 0 {
        return None;
    }
    i64::try_from(nano / 1_000_000_000).ok()
}

fn as_integer<'b, 'v>(args: Args<'b, 'v>) -> Ret<'b, 'v> {
    match as_int64(quantity_arg(&args, 0)?) {
        Some(n) => out(Value::Int(n)),
        None => Err(ExecutionError::function_error(
            "asInteger",
            "cannot convert value to integer",
        )),
    }
}

fn is_integer<'b, 'v>(args: Args<'b, 'v>) -> Ret<'b, 'v> {
    out(Value::Bool(as_int64(quantity_arg(&args, 0)?).is_some()))
}

fn as_approximate_float<'b, 'v>(args: Args<'b, 'v>) -> Ret<'b, 'v> {
    let q = quantity_arg(&args, 0)?;
    let approx = q.to_nano() as f64 / 1e9;
    out(Value::Float(approx))
}

/// Order two list elements of one comparable type.
fn order(a: &Value, b: &Value) -> Result<Ordering, ExecutionError> {
    let o = match (a, b) {
        (Value::Int(x), Value::Int(y)) => x.partial_cmp(y),
        (Value::UInt(x), Value::UInt(y)) => x.partial_cmp(y),
        (Value::Float(x), Value::Float(y)) => x.partial_cmp(y),
        (Value::Int(x), Value::Float(y)) => (*x as f64).partial_cmp(y),
        (Value::Float(x), Value::Int(y)) => x.partial_cmp(&(*y as f64)),
        (Value::String(x), Value::String(y)) => x.partial_cmp(y),
        (Value::Bool(x), Value::Bool(y)) => x.partial_cmp(y),
        _ => None,
    };
    o.ok_or_else(|| ExecutionError::ValuesNotComparable(a.clone(), b.clone()))
}

fn is_sorted<'b, 'v>(args: Args<'b, 'v>) -> Ret<'b, 'v> {
    let list = list_arg(&args, 0)?;
    for w in list.windows(2) {
        if order(&w[0], &w[1])? == Ordering::Greater {
            return out(Value::Bool(false));
        }
    }
    out(Value::Bool(true))
}

fn sum<'b, 'v>(args: Args<'b, 'v>) -> Ret<'b, 'v> {
    let list = list_arg(&args, 0)?;
    let mut total = Value::Int(0);
    for (i, v) in list.iter().enumerate() {
        total = match (&total, v) {
            (Value::Int(a), Value::Int(b)) => Value::Int(
                a.checked_add(*b)
                    .ok_or_else(|| ExecutionError::function_error("sum", "integer overflow"))?,
            ),
            (Value::Int(0), Value::UInt(b)) if i == 0 => Value::UInt(*b),
            (Value::UInt(a), Value::UInt(b)) => {
                Value::UInt(a.checked_add(*b).ok_or_else(|| {
                    ExecutionError::function_error("sum", "unsigned integer overflow")
                })?)
            }
            (Value::Int(0), Value::Float(b)) if i == 0 => Value::Float(*b),
            (Value::Float(a), Value::Float(b)) => Value::Float(a + b),
            _ => {
                return Err(ExecutionError::function_error(
                    "sum",
                    "no such overload: sum on a list of mixed or non-numeric elements",
                ));
            }
        };
    }
    out(total)
}

fn extreme<'b, 'v>(args: Args<'b, 'v>, name: &str, keep: Ordering) -> Ret<'b, 'v> {
    let list = list_arg(&args, 0)?;
    let Some(mut best) = list.first().cloned() else {
        return Err(ExecutionError::function_error(
            name,
            format!("{name} called on empty list"),
        ));
    };
    for v in list.iter().skip(1) {
        if order(v, &best)? == keep {
            best = v.clone();
        }
    }
    out(best)
}

fn min<'b, 'v>(args: Args<'b, 'v>) -> Ret<'b, 'v> {
    extreme(args, "min", Ordering::Less)
}

fn max<'b, 'v>(args: Args<'b, 'v>) -> Ret<'b, 'v> {
    extreme(args, "max", Ordering::Greater)
}

fn list_index_of<'b, 'v>(args: Args<'b, 'v>) -> Ret<'b, 'v> {
    let list = list_arg(&args, 0)?;
    let needle = args.get(1).ok_or(ExecutionError::MissingArgumentOrTarget)?;
    let at = list
        .iter()
        .position(|v| Box::<dyn Val>::try_from(v.clone()).is_ok_and(|b| b.equals(needle.as_ref())));
    out(Value::Int(at.map_or(-1, |i| i as i64)))
}

fn list_last_index_of<'b, 'v>(args: Args<'b, 'v>) -> Ret<'b, 'v> {
    let list = list_arg(&args, 0)?;
    let needle = args.get(1).ok_or(ExecutionError::MissingArgumentOrTarget)?;
    let at = list.iter().rposition(|v| {
        Box::<dyn Val>::try_from(v.clone()).is_ok_and(|b| b.equals(needle.as_ref()))
    });
    out(Value::Int(at.map_or(-1, |i| i as i64)))
}

fn regex(args: &Args) -> Result<(Arc<String>, regex::Regex), ExecutionError> {
    let s = string_arg(args, 0)?;
    let re = string_arg(args, 1)?;
    let re = regex::Regex::new(&re)
        .map_err(|e| ExecutionError::function_error("find", format!("invalid regex: {e}")))?;
    Ok((s, re))
}

fn find<'b, 'v>(args: Args<'b, 'v>) -> Ret<'b, 'v> {
    let (s, re) = regex(&args)?;
    let found = re
        .find(&s)
        .map(|m| m.as_str().to_string())
        .unwrap_or_default();
    out(Value::String(Arc::new(found)))
}

fn find_all<'b, 'v>(args: Args<'b, 'v>) -> Ret<'b, 'v> {
    let (s, re) = regex(&args)?;
    let limit = if args.len() > 2 {
        int_arg(&args, 2)?
    } else {
        -1
    };
    let all = re
        .find_iter(&s)
        .take(if limit < 0 {
            usize::MAX
        } else {
            limit as usize
        })
        .map(|m| Value::String(Arc::new(m.as_str().to_string())))
        .collect();
    out(Value::List(Arc::new(all)))
}

fn member(list: &[Value], v: &Value) -> bool {
    let Ok(v) = Box::<dyn Val>::try_from(v.clone()) else {
        return false;
    };
    list.iter()
        .any(|e| Box::<dyn Val>::try_from(e.clone()).is_ok_and(|e| e.equals(v.as_ref())))
}

fn sets_contains<'b, 'v>(args: Args<'b, 'v>) -> Ret<'b, 'v> {
    let (a, b) = (list_arg(&args, 0)?, list_arg(&args, 1)?);
    out(Value::Bool(b.iter().all(|v| member(&a, v))))
}

fn sets_equivalent<'b, 'v>(args: Args<'b, 'v>) -> Ret<'b, 'v> {
    let (a, b) = (list_arg(&args, 0)?, list_arg(&args, 1)?);
    out(Value::Bool(
        b.iter().all(|v| member(&a, v)) && a.iter().all(|v| member(&b, v)),
    ))
}

fn sets_intersects<'b, 'v>(args: Args<'b, 'v>) -> Ret<'b, 'v> {
    let (a, b) = (list_arg(&args, 0)?, list_arg(&args, 1)?);
    out(Value::Bool(b.iter().any(|v| member(&a, v))))
}

/// Register the libraries on `env`.
pub fn register(env: &mut Env) -> Result<(), DeclarationError> {
    let q = || Type::new_unspecified_type("kubernetes.Quantity");
    env.add_type(q())?;
    env.add_overload(
        "quantity",
        "string_to_quantity",
        vec![STRING_TYPE],
        quantity,
    )?;
    env.add_overload(
        "isQuantity",
        "is_quantity_string",
        vec![STRING_TYPE],
        is_quantity,
    )?;
    env.add_member_overload("sign", "quantity_sign", q(), vec![], sign)?;
    env.add_member_overload(
        "isGreaterThan",
        "quantity_is_greater_than",
        q(),
        vec![q()],
        is_greater_than,
    )?;
    env.add_member_overload(
        "isLessThan",
        "quantity_is_less_than",
        q(),
        vec![q()],
        is_less_than,
    )?;
    env.add_member_overload(
        "compareTo",
        "quantity_compare_to",
        q(),
        vec![q()],
        compare_to,
    )?;
    env.add_member_overload("add", "quantity_add", q(), vec![q()], add)?;
    env.add_member_overload("add", "quantity_add_int", q(), vec![INT_TYPE], add)?;
    env.add_member_overload("sub", "quantity_sub", q(), vec![q()], sub)?;
    env.add_member_overload("sub", "quantity_sub_int", q(), vec![INT_TYPE], sub)?;
    env.add_member_overload("asInteger", "quantity_get_integer", q(), vec![], as_integer)?;
    env.add_member_overload("isInteger", "quantity_is_integer", q(), vec![], is_integer)?;
    env.add_member_overload(
        "asApproximateFloat",
        "quantity_get_float",
        q(),
        vec![],
        as_approximate_float,
    )?;
    env.add_member_overload("isSorted", "list_is_sorted", LIST_TYPE, vec![], is_sorted)?;
    env.add_member_overload("sum", "list_sum", LIST_TYPE, vec![], sum)?;
    env.add_member_overload("min", "list_min", LIST_TYPE, vec![], min)?;
    env.add_member_overload("max", "list_max", LIST_TYPE, vec![], max)?;
    env.add_member_overload(
        "indexOf",
        "list_index_of",
        LIST_TYPE,
        vec![DYN_TYPE],
        list_index_of,
    )?;
    env.add_member_overload(
        "lastIndexOf",
        "list_last_index_of",
        LIST_TYPE,
        vec![DYN_TYPE],
        list_last_index_of,
    )?;
    env.add_member_overload(
        "find",
        "string_find_n",
        STRING_TYPE,
        vec![STRING_TYPE],
        find,
    )?;
    env.add_member_overload(
        "findAll",
        "string_find_all",
        STRING_TYPE,
        vec![STRING_TYPE],
        find_all,
    )?;
    env.add_member_overload(
        "findAll",
        "string_find_all_n",
        STRING_TYPE,
        vec![STRING_TYPE, INT_TYPE],
        find_all,
    )?;
    env.add_overload(
        "sets.contains",
        "list_sets_contains_list",
        vec![LIST_TYPE, LIST_TYPE],
        sets_contains,
    )?;
    env.add_overload(
        "sets.equivalent",
        "list_sets_equivalent_list",
        vec![LIST_TYPE, LIST_TYPE],
        sets_equivalent,
    )?;
    env.add_overload(
        "sets.intersects",
        "list_sets_intersects_list",
        vec![LIST_TYPE, LIST_TYPE],
        sets_intersects,
    )?;
    Ok(())
}

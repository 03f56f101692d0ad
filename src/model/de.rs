//! Deserialize k8s-openapi types straight from a [`Node`] tree, reading
//! scalars exactly as [`Node::to_json`] would (the JSON kubectl sends), but
//! without building that JSON first.

use super::node::{Node, Resolved, Value};
use serde::de::{
    self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};
use std::fmt;

#[derive(Debug)]
pub struct DeError(String);

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError(msg.to_string())
    }
}

/// Decode `T` from a node tree.
pub fn from_node<'de, T: serde::Deserialize<'de>>(node: &'de Node) -> Result<T, DeError> {
    T::deserialize(node)
}

impl<'de> Deserializer<'de> for &'de Node {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.value {
            Value::Scalar(s) => match s.resolve() {
                Resolved::Null => visitor.visit_unit(),
                Resolved::Bool(b) => visitor.visit_bool(b),
                Resolved::Int(i) => match i64::try_from(i) {
                    Ok(v) => visitor.visit_i64(v),
                    Err(_) => match u64::try_from(i) {
                        Ok(v) => visitor.visit_u64(v),
                        Err(_) => visitor.visit_unit(),
                    },
                },
                // Go prints integral floats without a fraction (see to_json).
                Resolved::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
                    visitor.visit_i64(f as i64)
                }
                Resolved::Float(f) if f.is_finite() => visitor.visit_f64(f),
                Resolved::Float(_) => visitor.visit_unit(),
                Resolved::Str(_) => visitor.visit_borrowed_str(&s.text),
            },
            Value::Seq(items) => visitor.visit_seq(Seq { iter: items.iter() }),
            Value::Map(entries) => visitor.visit_map(Map {
                iter: entries.iter(),
                value: None,
            }),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.is_null() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match &self.value {
            Value::Scalar(s) => visitor.visit_enum(s.text.as_str().into_deserializer()),
            _ => Err(de::Error::custom("expected a string for an enum")),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

struct Seq<'de> {
    iter: std::slice::Iter<'de, Node>,
}

impl<'de> SeqAccess<'de> for Seq<'de> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        match self.iter.next() {
            Some(n) => seed.deserialize(n).map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

struct Map<'de> {
    iter: std::slice::Iter<'de, super::node::Entry>,
    value: Option<&'de Node>,
}

impl<'de> MapAccess<'de> for Map<'de> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        match self.iter.next() {
            Some(e) => {
                self.value = Some(&e.value);
                seed.deserialize(de::value::BorrowedStrDeserializer::new(e.key.as_str()))
                    .map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        match self.value.take() {
            Some(v) => seed.deserialize(v),
            None => Err(de::Error::custom("value without a key")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::yaml::{Limits, parse};
    use k8s_openapi::api::core::v1::Pod;

    fn doc(s: &str) -> Node {
        parse(s, &Limits::default())
            .expect("parses")
            .documents
            .remove(0)
            .root
    }

    #[test]
    fn decodes_like_the_json_path() {
        let n = doc(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: {a: b}\nspec:\n  containers:\n  - name: c\n    image: nginx\n    ports: [{containerPort: 80.0, name: http}]\n    resources: {limits: {cpu: 1, memory: 1Gi}, requests: {cpu: 0.5}}\n  securityContext: {runAsNonRoot: yes}\n",
        );
        let direct: Pod = from_node(&n).expect("decodes");
        let via_json: Pod = serde_json::from_value(n.to_json()).expect("decodes");
        assert_eq!(direct, via_json);
        let c = &direct.spec.as_ref().expect("spec").containers[0];
        assert_eq!(c.ports.as_ref().expect("ports")[0].container_port, 80);
        let limits = c
            .resources
            .as_ref()
            .and_then(|r| r.limits.as_ref())
            .expect("limits");
        assert_eq!(limits["cpu"].0, "1");
        assert_eq!(
            direct
                .spec
                .as_ref()
                .and_then(|s| s.security_context.as_ref())
                .and_then(|s| s.run_as_non_root),
            Some(true)
        );
    }
}

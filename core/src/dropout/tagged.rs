//! Internally tagged JSON (`{"type": "escalated", "date": …, "to": …}`) for the enums of
//! this module, without losing the path of a bad field.
//!
//! serde's own internally tagged enums buffer their fields before choosing the variant,
//! and an error inside (an impossible date, an unknown field) then reaches the caller
//! without the field's name. So [`super::Event`] and [`super::Trigger`] derive the
//! externally tagged form (`#[serde(remote = "Self")]`) and convert at the edge: on the
//! way in, the tag becomes the outer key and the variant is read with its path tracked; an
//! error inside says `in field 'date': …`, which [`super::parse_json`] turns back into a
//! field path.

use serde::ser::{Error as _, SerializeMap};
use serde_json::{Map, Value};

/// Serialize the externally tagged `external` (`{"variant": {fields}}`) as an internally
/// tagged map: `tag` first, then the fields.
pub(crate) fn serialize<S: serde::Serializer>(
    external: Result<Value, serde_json::Error>,
    tag: &str,
    s: S,
) -> Result<S::Ok, S::Error> {
    let Value::Object(outer) = external.map_err(S::Error::custom)? else {
        return Err(S::Error::custom("expected a tagged variant"));
    };
    let mut entries = outer.into_iter();
    let (Some((kind, Value::Object(fields))), None) = (entries.next(), entries.next()) else {
        return Err(S::Error::custom("expected a variant with fields"));
    };
    let mut map = s.serialize_map(Some(fields.len() + 1))?;
    map.serialize_entry(tag, &kind)?;
    for (k, v) in &fields {
        map.serialize_entry(k, v)?;
    }
    map.end()
}

/// The externally tagged form of an internally tagged map.
pub(crate) fn external<E: serde::de::Error>(
    mut map: Map<String, Value>,
    tag: &'static str,
) -> Result<Value, E> {
    let kind = match map.remove(tag) {
        Some(Value::String(s)) => s,
        Some(other) => {
            return Err(E::custom(format!(
                "in field '{tag}': expected a string, found {}",
                crate::json::clip(&other.to_string())
            )))
        }
        None => return Err(E::missing_field(tag)),
    };
    let mut outer = Map::new();
    outer.insert(kind, Value::Object(map));
    Ok(Value::Object(outer))
}

/// The error of reading a variant at `path` (`variant.field…`), with the field named in the
/// message.
pub(crate) fn error<E: serde::de::Error>(
    path: &serde_path_to_error::Path,
    inner: serde_json::Error,
) -> E {
    let path = path.to_string();
    let sub = path.split_once('.').map_or("", |(_, rest)| rest);
    if sub.is_empty() {
        E::custom(inner)
    } else {
        E::custom(format!("in field '{sub}': {inner}"))
    }
}

/// Implement `Serialize` and `Deserialize` for an enum deriving the externally tagged form
/// with `#[serde(remote = "Self")]`, as internally tagged JSON with `$tag`.
macro_rules! internally_tagged {
    ($ty:ty, $tag:literal) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                $crate::dropout::tagged::serialize(
                    <$ty>::serialize(self, serde_json::value::Serializer),
                    $tag,
                    s,
                )
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let map = <serde_json::Map<String, serde_json::Value> as serde::Deserialize>::deserialize(d)?;
                let value = $crate::dropout::tagged::external::<D::Error>(map, $tag)?;
                let mut track = serde_path_to_error::Track::new();
                <$ty>::deserialize(serde_path_to_error::Deserializer::new(value, &mut track))
                    .map_err(|e| $crate::dropout::tagged::error(&track.path(), e))
            }
        }
    };
}

pub(crate) use internally_tagged;

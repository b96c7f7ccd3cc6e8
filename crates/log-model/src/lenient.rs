//! Deserializers that accept what real log entries contain, not only what the schema promises.
//!
//! A field that should be a string may hold a number, a bool or an object; an
//! int64 arrives as a JSON string (`"863"`); a sub-object may be a string in one
//! logger's output. None of that may cost us the whole entry, so every field of
//! [`LogEntry`](crate::LogEntry) goes through these.

use std::borrow::Cow;
use std::fmt;
use std::ops::Deref;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::value::RawValue;

/// A string field that borrows from the input when it can and accepts any JSON value.
///
/// Strings without escapes borrow; numbers and booleans become their JSON text;
/// objects and arrays become their compact JSON text. `null` is handled by the
/// surrounding `Option`.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Text<'a>(pub Cow<'a, str>);

impl<'a> Text<'a> {
    /// The text as a `&str`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Unwraps the inner `Cow`.
    pub fn into_cow(self) -> Cow<'a, str> {
        self.0
    }

    /// The text, unless it is empty (`gcloud logging tail` prints unset
    /// fields as `''`).
    pub(crate) fn non_empty(self) -> Option<Cow<'a, str>> {
        (!self.0.is_empty()).then_some(self.0)
    }
}

// Ord, Eq and Hash of `Text` are those of the `str` inside, so maps keyed by
// `Text` can be searched with a `&str`.
impl std::borrow::Borrow<str> for Text<'_> {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl Deref for Text<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Text<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;

        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }

            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Borrowed(v)))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(v)))
            }

            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(Text(Cow::Borrowed(if v { "true" } else { "false" })))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(v.to_string())))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(v.to_string())))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                // `59748.0` (a Struct number that was an integer) reads as `59748`.
                if v.fract() == 0.0 && v.abs() < 9.0e15 {
                    Ok(Text(Cow::Owned((v as i64).to_string())))
                } else {
                    Ok(Text(Cow::Owned(v.to_string())))
                }
            }

            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Text(Cow::Borrowed("")))
            }

            fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                let value =
                    serde_json::Value::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
                Ok(Text(Cow::Owned(value.to_string())))
            }

            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                let value =
                    serde_json::Value::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Text(Cow::Owned(value.to_string())))
            }
        }

        deserializer.deserialize_any(TextVisitor)
    }
}

/// Deserializes an optional sub-object or array, yielding `None` instead of
/// an error when the value is not of the expected shape.
///
/// The value is first taken as raw JSON (a borrowed slice, no allocation) and
/// then parsed as `T`, so a mismatch only drops this one field. Works with
/// `serde_json` deserializers over borrowed input, which is what the reader uses.
pub(crate) fn object<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    let raw: Option<&'de RawValue> = Option::deserialize(deserializer)?;
    Ok(raw.and_then(|raw| serde_json::from_str(raw.get()).ok()))
}

/// Deserializes an optional object in one pass, yielding `None` when the
/// value is not an object.
///
/// Unlike [`object`], the object is not parsed twice, so an error inside it
/// fails the whole entry: use it for types whose every field is lenient
/// (then only a repeated key can fail, which Cloud Logging's output never
/// has). It is what most sub-objects use: parsing them twice cost about a
/// sixth of the reading time.
pub(crate) fn map<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct MapVisitor<T>(std::marker::PhantomData<T>);

    impl<'de, T: Deserialize<'de>> Visitor<'de> for MapVisitor<T> {
        type Value = Option<T>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("any JSON value")
        }

        fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Some)
        }

        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<de::IgnoredAny>()?.is_some() {}
            Ok(None)
        }

        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }

    deserializer.deserialize_any(MapVisitor(std::marker::PhantomData))
}

/// Deserializes an optional integer that may be written as a number, a
/// numeric string (`"863"`, the JSON form of int64) or a float (`59748.0`).
/// Anything else yields `None`.
pub(crate) fn integer<'de, D>(deserializer: D) -> Result<Option<i64>, D::Error>
where
    D: Deserializer<'de>,
{
    let text: Option<Text<'de>> = Option::deserialize(deserializer)?;
    Ok(text.and_then(|text| parse_integer(&text)))
}

/// Parses `"863"`, `"863.0"` or `" 863 "` as an integer.
pub(crate) fn parse_integer(text: &str) -> Option<i64> {
    let text = text.trim();
    text.parse::<i64>().ok().or_else(|| {
        text.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && v.fract() == 0.0 && v.abs() < 9.0e18)
            .map(|v| v as i64)
    })
}

/// Deserializes an optional boolean written as `true`, `"true"` or `1`.
pub(crate) fn boolean<'de, D>(deserializer: D) -> Result<Option<bool>, D::Error>
where
    D: Deserializer<'de>,
{
    let text: Option<Text<'de>> = Option::deserialize(deserializer)?;
    Ok(text.and_then(|text| match text.as_str() {
        "true" | "1" | "True" | "TRUE" => Some(true),
        "false" | "0" | "False" | "FALSE" | "" => Some(false),
        _ => None,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Probe<'a> {
        #[serde(borrow)]
        text: Option<Text<'a>>,
        #[serde(default, deserialize_with = "integer")]
        number: Option<i64>,
    }

    #[test]
    fn text_borrows_plain_strings() {
        let probe: Probe = serde_json::from_str(r#"{"text":"plain"}"#).unwrap();
        assert!(matches!(probe.text.unwrap().0, Cow::Borrowed("plain")));
    }

    #[test]
    fn text_accepts_any_value() {
        for (json, expected) in [
            (r#"{"text":"a\nb"}"#, "a\nb"),
            (r#"{"text":12}"#, "12"),
            (r#"{"text":59748.0}"#, "59748"),
            (r#"{"text":true}"#, "true"),
            (r#"{"text":{"k":[1,2]}}"#, r#"{"k":[1,2]}"#),
        ] {
            let probe: Probe = serde_json::from_str(json).unwrap();
            assert_eq!(probe.text.unwrap().as_str(), expected, "{json}");
        }
    }

    #[derive(Deserialize)]
    struct Outer<'a> {
        #[serde(borrow, default, deserialize_with = "map")]
        inner: Option<Probe<'a>>,
    }

    #[test]
    fn map_takes_objects_and_drops_the_rest() {
        let outer: Outer =
            serde_json::from_str(r#"{"inner":{"text":"borrowed","number":"7"}}"#).unwrap();
        let inner = outer.inner.unwrap();
        assert!(matches!(inner.text.unwrap().0, Cow::Borrowed("borrowed")));
        assert_eq!(inner.number, Some(7));
        for json in [
            r#"{"inner":[1,{"a":2}]}"#,
            r#"{"inner":"x"}"#,
            r#"{"inner":1.5}"#,
            r#"{"inner":null}"#,
            r#"{}"#,
        ] {
            let outer: Outer = serde_json::from_str(json).unwrap();
            assert!(outer.inner.is_none(), "{json}");
        }
    }

    #[test]
    fn integers_from_strings_and_floats() {
        for (json, expected) in [
            (r#"{"number":"863"}"#, Some(863)),
            (r#"{"number":863}"#, Some(863)),
            (r#"{"number":863.0}"#, Some(863)),
            (r#"{"number":"eight"}"#, None),
            (r#"{"number":null}"#, None),
            (r#"{}"#, None),
        ] {
            let probe: Probe = serde_json::from_str(json).unwrap();
            assert_eq!(probe.number, expected, "{json}");
        }
    }
}

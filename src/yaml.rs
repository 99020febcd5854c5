//! YAML as bundel reads it for front matter, `site.yaml` and theme files: every key of a
//! mapping is text.
//!
//! YAML allows any value as a key (`1.5: x`, `~: x`, `? [a, b]: x`), but a template can only
//! look keys up by name, and the template engine refuses (panics on) keys that are not text
//! or whole numbers. So keys that are numbers or true/false become their text (`2020: 1.4`
//! is looked up as `"2020"`), and a key that is empty or a list is an error at its line.

use serde::de::{
    self, Deserialize, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};
use serde_yaml::value::{Tag, TaggedValue};
use serde_yaml::{Mapping, Value};

/// Parses YAML text into a value whose mapping keys are all strings.
pub fn from_str(text: &str) -> Result<Value, serde_yaml::Error> {
    TextKeyed::deserialize(serde_yaml::Deserializer::from_str(text)).map(|v| v.0)
}

/// For `#[serde(deserialize_with)]` on a free-form mapping field (`extra:` of `site.yaml`).
pub fn text_keyed_mapping<'de, D: Deserializer<'de>>(d: D) -> Result<Mapping, D::Error> {
    match TextKeyed::deserialize(d)?.0 {
        Value::Mapping(m) => Ok(m),
        Value::Null => Ok(Mapping::new()),
        _ => Err(de::Error::custom("expected a group of `key: value` lines")),
    }
}

/// A YAML value built with text keys; see the module comment.
struct TextKeyed(Value);

impl<'de> Deserialize<'de> for TextKeyed {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor).map(TextKeyed)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, i: i64) -> Result<Value, E> {
        Ok(Value::Number(i.into()))
    }
    fn visit_u64<E>(self, u: u64) -> Result<Value, E> {
        Ok(Value::Number(u.into()))
    }
    fn visit_f64<E>(self, f: f64) -> Result<Value, E> {
        Ok(Value::Number(f.into()))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_string()))
    }
    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        TextKeyed::deserialize(d).map(|v| v.0)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(TextKeyed(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Sequence(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Mapping::new();
        while let Some(KeyText(key)) = map.next_key()? {
            let TextKeyed(value) = map.next_value()?;
            if out.contains_key(key.as_str()) {
                return Err(de::Error::custom(format!(
                    "the key `{key}` appears twice; keep one of them"
                )));
            }
            out.insert(Value::String(key), value);
        }
        Ok(Value::Mapping(out))
    }
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        let (tag, contents) = data.variant::<String>()?;
        let TextKeyed(value) = contents.newtype_variant()?;
        Ok(Value::Tagged(Box::new(TaggedValue {
            tag: Tag::new(tag),
            value,
        })))
    }
}

/// A mapping key as text.
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(KeyVisitor).map(KeyText)
    }
}

const NOT_A_LIST: &str = "a key must be a name, not a list or a group of keys; write `name: value`";

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = String;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a key: a name, number, or true/false")
    }
    fn visit_bool<E>(self, b: bool) -> Result<String, E> {
        Ok(b.to_string())
    }
    fn visit_i64<E>(self, i: i64) -> Result<String, E> {
        Ok(i.to_string())
    }
    fn visit_u64<E>(self, u: u64) -> Result<String, E> {
        Ok(u.to_string())
    }
    fn visit_f64<E>(self, f: f64) -> Result<String, E> {
        Ok(serde_yaml::Number::from(f).to_string())
    }
    fn visit_str<E>(self, s: &str) -> Result<String, E> {
        Ok(s.to_string())
    }
    fn visit_string<E>(self, s: String) -> Result<String, E> {
        Ok(s)
    }
    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        Err(E::custom(
            "a key is empty (`~`, `null` or nothing before the colon); write its name, or quote it: `\"~\": value`",
        ))
    }
    fn visit_none<E: de::Error>(self) -> Result<String, E> {
        self.visit_unit()
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(KeyVisitor)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(de::Error::custom(NOT_A_LIST))
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(de::Error::custom(NOT_A_LIST))
    }
    fn visit_enum<A: EnumAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(de::Error::custom(
            "a key cannot carry a `!tag`; write a plain name",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<String> {
        match from_str(text).unwrap() {
            Value::Mapping(m) => m
                .keys()
                .map(|k| k.as_str().expect("text key").to_string())
                .collect(),
            other => panic!("not a mapping: {other:?}"),
        }
    }

    #[test]
    fn numbers_and_booleans_become_text_keys() {
        assert_eq!(
            keys("1.5: x\n2020: y\ntrue: z\nnaam: w\n"),
            ["1.5", "2020", "true", "naam"]
        );
        let v = from_str("extra: {1.5: x, sub: [{3: a}]}\n").unwrap();
        let inner = &v["extra"]["sub"][0];
        assert_eq!(inner.get("3").and_then(Value::as_str), Some("a"));
        assert_eq!(v["extra"].get("1.5").and_then(Value::as_str), Some("x"));
    }

    #[test]
    fn empty_and_list_keys_are_located_errors() {
        for (text, line, what) in [
            ("a: 1\n~: x\n", 2, "empty"),
            ("a: 1\nb:\n  null: x\n", 3, "empty"),
            ("a: 1\n? [a, b]\n: x\n", 2, "list"),
            ("a: 1\n{x: 1}: y\n", 2, "list"),
        ] {
            let e = from_str(text).unwrap_err();
            assert!(e.to_string().contains(what), "{text:?}: {e}");
            assert_eq!(e.location().map(|l| l.line()), Some(line), "{text:?}: {e}");
        }
    }

    #[test]
    fn keys_that_become_the_same_text_are_duplicates() {
        let e = from_str("a: 1\n1: x\n\"1\": y\n").unwrap_err();
        assert!(e.to_string().contains("`1` appears twice"), "{e}");
    }

    #[test]
    fn tags_and_scalars_are_kept() {
        let v = from_str("a: !x 3\nb: ~\nc: [1, 2.5, true]\n").unwrap();
        assert!(matches!(v["a"], Value::Tagged(_)));
        assert!(v["b"].is_null());
        assert_eq!(v["c"][1].as_f64(), Some(2.5));
    }
}

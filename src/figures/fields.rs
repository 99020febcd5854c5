//! Reading the YAML body of a block, with every problem pointing at its line in the
//! Markdown file.

use std::collections::BTreeSet;
use std::path::Path;

use serde_yaml::{Mapping, Value};

use crate::config::{key_position, yaml_error};
use crate::diagnostic::Diagnostic;

/// A YAML mapping being read key by key; unknown keys are reported at the end.
pub struct Fields<'a> {
    map: Mapping,
    text: &'a str,
    file: &'a Path,
    /// Line of the file on which the YAML text starts.
    base: usize,
    used: BTreeSet<String>,
    pub errors: Vec<Diagnostic>,
}

/// Parses `text` (the block body) as YAML.
pub fn parse_yaml(text: &str, file: &Path, base: usize) -> Result<Value, Diagnostic> {
    crate::yaml::from_str(text).map_err(|e| yaml_error(file, &e, base - 1))
}

impl<'a> Fields<'a> {
    pub fn new(map: Mapping, text: &'a str, file: &'a Path, base: usize) -> Self {
        Fields {
            map,
            text,
            file,
            base,
            used: BTreeSet::new(),
            errors: Vec::new(),
        }
    }

    /// File line of `key`, or of the block's first line when the key is absent.
    pub fn line(&self, key: &str) -> (usize, usize) {
        key_position(self.text, key)
            .map(|(l, c)| (self.base + l - 1, c))
            .unwrap_or((self.base, 1))
    }

    pub fn error(&mut self, key: &str, msg: impl Into<String>, hint: impl Into<String>) {
        let (l, c) = self.line(key);
        self.errors
            .push(Diagnostic::new(self.file, l, c, msg).with_hint(hint));
    }

    pub fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    pub fn raw(&mut self, key: &str) -> Option<Value> {
        self.used.insert(key.to_string());
        self.map.get(key).cloned().filter(|v| !v.is_null())
    }

    pub fn str(&mut self, key: &str) -> Option<String> {
        match self.raw(key)? {
            Value::String(s) => Some(s),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => {
                self.error(
                    key,
                    format!("`{key}` must be text"),
                    format!("write `{key}: some text`"),
                );
                None
            }
        }
    }

    pub fn required_str(&mut self, key: &str, hint: &str) -> Option<String> {
        let v = self.str(key);
        if v.as_deref().is_none_or(|s| s.trim().is_empty())
            && !self
                .errors
                .iter()
                .any(|e| e.message.contains(&format!("`{key}`")))
        {
            let (l, c) = (self.base, 1);
            self.errors.push(
                Diagnostic::new(self.file, l, c, format!("this block needs `{key}`"))
                    .with_hint(hint.to_string()),
            );
            return None;
        }
        v
    }

    /// A single name or a list of names.
    pub fn list(&mut self, key: &str) -> Option<Vec<String>> {
        match self.raw(key)? {
            Value::Sequence(items) => {
                let mut out = Vec::new();
                for item in items {
                    match scalar(&item) {
                        Some(s) => out.push(s),
                        None => {
                            self.error(
                                key,
                                format!("`{key}` must be a list of names"),
                                format!("write `{key}: [a, b]`"),
                            );
                            return None;
                        }
                    }
                }
                Some(out)
            }
            other => match scalar(&other) {
                Some(s) => Some(vec![s]),
                None => {
                    self.error(
                        key,
                        format!("`{key}` must be a name or a list of names"),
                        format!("write `{key}: [a, b]`"),
                    );
                    None
                }
            },
        }
    }

    /// A mapping of names to texts, in the order written (`rename: {a: A}`).
    pub fn pairs(&mut self, key: &str) -> Option<Vec<(String, String)>> {
        match self.raw(key)? {
            Value::Mapping(m) => {
                let mut out = Vec::new();
                for (k, v) in m {
                    match (scalar(&k), scalar(&v)) {
                        (Some(k), Some(v)) => out.push((k, v)),
                        _ => {
                            self.error(
                                key,
                                format!("`{key}` must map names to texts"),
                                format!("write `{key}: {{column: Label}}`"),
                            );
                            return None;
                        }
                    }
                }
                Some(out)
            }
            _ => {
                self.error(
                    key,
                    format!("`{key}` must map names to texts"),
                    format!("write `{key}: {{column: Label}}`"),
                );
                None
            }
        }
    }

    pub fn number(&mut self, key: &str) -> Option<f64> {
        let v = self.raw(key)?;
        match number_value(&v) {
            Some(n) => Some(n),
            None => {
                self.error(
                    key,
                    format!("`{key}` must be a number"),
                    format!("write `{key}: 1.4` (or `\"1,4\"`)"),
                );
                None
            }
        }
    }

    pub fn bool(&mut self, key: &str) -> Option<bool> {
        match self.raw(key)? {
            Value::Bool(b) => Some(b),
            _ => {
                self.error(
                    key,
                    format!("`{key}` must be true or false"),
                    format!("write `{key}: true`"),
                );
                None
            }
        }
    }

    /// Counts `keys` as known even when a step stops before reading them: an error in
    /// `where` must not make a correct `sort` below it look like a typo.
    pub fn expect(&mut self, keys: &[&str]) {
        self.used.extend(keys.iter().map(|k| k.to_string()));
    }

    /// Reports keys that were never asked for, with the list of keys that are allowed.
    pub fn finish(mut self, kind: &str) -> Vec<Diagnostic> {
        let unknown: Vec<String> = self
            .map
            .keys()
            .filter_map(scalar)
            .filter(|k| !self.used.contains(k))
            .collect();
        let known: Vec<String> = self.used.iter().cloned().collect();
        for k in unknown {
            let close = crate::data::suggest(&k, known.iter().map(String::as_str));
            let hint = match close.first() {
                Some(c) => format!("did you mean `{c}`? allowed keys: {}", known.join(", ")),
                None => format!("allowed keys in a {kind} block: {}", known.join(", ")),
            };
            self.error(&k, format!("unknown key `{k}` in this {kind} block"), hint);
        }
        self.errors
    }
}

pub fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A number written in YAML as `1.4`, `"1,4"` or `"1,4%"`.
pub fn number_value(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => {
            let t = s.trim().trim_end_matches('%').trim();
            let t = if t.contains(',') && !t.contains('.') {
                t.replace(',', ".")
            } else {
                t.to_string()
            };
            t.parse().ok()
        }
        _ => None,
    }
}

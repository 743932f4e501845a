//! JSON helpers shared by every parser of outside data: turning serde errors into
//! [`Error`]s that name the field path, and finding the line of a path in a JSON text (so a
//! policy file's semantic error can name its line, not only its field).

use crate::Error;

/// Clip a user-supplied string for an error message (messages must stay short, and must not
/// echo a whole document back).
pub fn clip(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let head: String = s.chars().take(MAX).collect();
        format!("{head}…")
    }
}

/// A user-supplied value quoted in an error message: clipped, identity numbers masked, and
/// a value that is not ASCII (no code of the vocabulary is) masked like a name, since a
/// misplaced column may put a person's name where a code was expected.
pub fn echo(s: &str) -> String {
    if s.is_ascii() {
        crate::resident_id::scrub(&clip(s))
    } else {
        crate::resident_id::mask_name(&clip(s))
    }
}

/// The message of a serde_json error without its " at line L column C" suffix, with the
/// backticks of serde turned into quotes, and the field it names (for missing and unknown
/// fields, which serde reports against the parent object).
fn clean(err: &serde_json::Error) -> (String, Option<String>) {
    let mut text = err.to_string();
    if let Some(pos) = text.rfind(" at line ") {
        text.truncate(pos);
    }
    let named = |prefix: &str| -> Option<String> {
        let rest = text.strip_prefix(prefix)?;
        let rest = rest.strip_prefix('`')?;
        let end = rest.find('`')?;
        rest.get(..end).map(str::to_string)
    };
    // serde_path_to_error already ends the path with an unknown field, not a missing one.
    let child = named("missing field ").or_else(|| named("duplicate field "));
    let text = text.replace('`', "'");
    let text = if let Some(rest) = text.strip_prefix("unknown variant ") {
        // The value is quoted first: 'value', expected ...
        let rest = match rest
            .strip_prefix('\'')
            .and_then(|r| r.split_once("', expected"))
        {
            Some((value, tail)) => format!("'{}', expected{tail}", echo(value)),
            None => rest.to_string(),
        };
        format!(
            "unknown value {}",
            rest.replacen(", expected", "; expected", 1)
        )
    } else {
        text
    };
    (text, child)
}

/// Join a serde path (`household.statuses[1]`, or `.` for the root) and a child field. A
/// `?` segment (serde_path_to_error's unknown map key: a key that failed to parse, or a
/// syntax error after a comma) is dropped: the path ends at the map.
fn join(path: &str, child: Option<&str>) -> String {
    let mut base = if path == "." || path == "?" { "" } else { path };
    while let Some(rest) = base.strip_suffix(".?").or_else(|| base.strip_suffix("?")) {
        base = rest;
    }
    match child {
        Some(c) if base.is_empty() => c.to_string(),
        Some(c) => format!("{base}.{c}"),
        None => base.to_string(),
    }
}

/// Deserialize a struct only from a JSON object (serde's derived structs also accept an
/// array of the fields in order, which would let `"household": [["dibao"], false]` through):
/// use as `#[serde(deserialize_with = "crate::json::object")]`, and at the root.
pub fn object<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    struct ObjectOnly<T>(std::marker::PhantomData<T>);
    impl<'de, T: serde::Deserialize<'de>> serde::de::Visitor<'de> for ObjectOnly<T> {
        type Value = T;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
        }
    }
    d.deserialize_map(ObjectOnly(std::marker::PhantomData))
}

/// An [`Error::InvalidInput`] from a serde_json error at `path`.
pub fn path_error(path: String, err: &serde_json::Error) -> Error {
    let (message, child) = clean(err);
    let code = if message.starts_with("missing field") {
        "missing_field"
    } else if message.starts_with("duplicate field") {
        "duplicate"
    } else if message.starts_with("unknown field") {
        "unknown_field"
    } else if message.starts_with("unknown value") {
        "unknown_variant"
    } else if message.ends_with("is not a date in the form YYYY-MM-DD") {
        "invalid_date"
    } else if err.is_syntax() || err.is_eof() {
        "invalid_json"
    } else {
        "invalid_type"
    };
    Error::invalid(join(&path, child.as_deref()), code, message)
}

/// A policy-file error from a serde_json error at `path` in `file`.
pub fn policy_error(file: &str, text: &str, path: String, err: &serde_json::Error) -> Error {
    let (message, child) = clean(err);
    let field = join(&path, child.as_deref());
    let line = if err.line() > 0 {
        err.line()
    } else {
        line_of(text, &field)
    };
    let (field, message) = (
        crate::error::bounded(field, crate::error::MAX_FIELD_CHARS),
        crate::error::bounded(message, crate::error::MAX_MESSAGE_CHARS),
    );
    let code = if message.starts_with("duplicate field") {
        "duplicate"
    } else {
        "invalid_policy"
    };
    Error::Policy {
        file: file.to_string(),
        line,
        field,
        code: code.into(),
        message,
    }
}

/// The 1-based line where the value at `path` (`a.b[2].c`) starts in the JSON `text`, or
/// the line of the deepest part of the path that exists; 0 when the text is not JSON.
///
/// A small scanner rather than a parser with spans: policy files are small, and this only
/// runs when a file is being rejected.
pub fn line_of(text: &str, path: &str) -> usize {
    let wanted = split_path(path);
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        pos: 0,
        line: 1,
    };
    let mut best = 1;
    scanner.value(&wanted, &mut best);
    best
}

#[derive(Debug, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

fn split_path(path: &str) -> Vec<Seg> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let mut rest = part;
        if let Some(i) = rest.find('[') {
            let (key, idx) = rest.split_at(i);
            if !key.is_empty() {
                out.push(Seg::Key(key.to_string()));
            }
            rest = idx;
            for chunk in rest.split('[').filter(|c| !c.is_empty()) {
                if let Ok(n) = chunk.trim_end_matches(']').parse() {
                    out.push(Seg::Index(n));
                }
            }
        } else if !rest.is_empty() {
            out.push(Seg::Key(rest.to_string()));
        }
    }
    out
}

struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        if b == b'\n' {
            self.line += 1;
        }
        Some(b)
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.bump();
        }
    }

    fn string(&mut self) -> String {
        let mut out = Vec::new();
        self.bump(); // opening quote
        while let Some(b) = self.bump() {
            match b {
                b'"' => break,
                b'\\' => {
                    if let Some(c) = self.bump() {
                        out.push(c);
                    }
                }
                _ => out.push(b),
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    /// Scan one value. `wanted` is the rest of the path to find inside it; `best` is the
    /// line of the deepest match so far.
    fn value(&mut self, wanted: &[Seg], best: &mut usize) {
        self.ws();
        *best = self.line;
        match self.peek() {
            Some(b'{') => {
                self.bump();
                loop {
                    self.ws();
                    match self.peek() {
                        Some(b'"') => {}
                        Some(b'}') | None => {
                            self.bump();
                            return;
                        }
                        _ => {
                            self.bump();
                            continue;
                        }
                    }
                    let key_line = self.line;
                    let key = self.string();
                    self.ws();
                    if self.peek() == Some(b':') {
                        self.bump();
                    }
                    // A key may itself hold dots (parameter names): it matches as many
                    // path segments as it has parts.
                    let parts: Vec<&str> = key.split('.').collect();
                    let matched = parts.len() <= wanted.len()
                        && parts
                            .iter()
                            .zip(wanted)
                            .all(|(p, w)| matches!(w, Seg::Key(k) if k == p));
                    match matched.then(|| wanted.get(parts.len()..)).flatten() {
                        Some(rest) => {
                            *best = key_line;
                            let mut inner = key_line;
                            self.value(rest, &mut inner);
                            if !rest.is_empty() {
                                *best = inner;
                            }
                            return;
                        }
                        _ => {
                            let mut ignore = 0;
                            self.value(&[], &mut ignore);
                        }
                    }
                    self.ws();
                    if self.peek() == Some(b',') {
                        self.bump();
                    }
                }
            }
            Some(b'[') => {
                self.bump();
                let mut index = 0;
                loop {
                    self.ws();
                    match self.peek() {
                        Some(b']') | None => {
                            self.bump();
                            return;
                        }
                        Some(b',') => {
                            self.bump();
                            index += 1;
                            continue;
                        }
                        _ => {}
                    }
                    match wanted.split_first() {
                        Some((Seg::Index(i), rest)) if *i == index => {
                            let mut inner = self.line;
                            self.value(rest, &mut inner);
                            *best = inner;
                            return;
                        }
                        _ => {
                            let mut ignore = 0;
                            self.value(&[], &mut ignore);
                        }
                    }
                }
            }
            Some(b'"') => {
                self.string();
            }
            Some(_) => {
                while let Some(b) = self.peek() {
                    if matches!(b, b',' | b'}' | b']') || b.is_ascii_whitespace() {
                        break;
                    }
                    self.bump();
                }
            }
            None => {}
        }
    }
}

/// The path (`parameters.x.values[1].from`) and 1-based line of the first key given twice
/// in one object of the JSON `text`, if any. serde keeps the last of two equal keys of a
/// map silently; a policy file that names a parameter twice must be rejected instead.
/// Meant for a text serde_json has already parsed (so it is valid JSON, at most 128 deep);
/// keys are compared as written (escapes not decoded).
pub fn duplicate_key(text: &str) -> Option<(String, usize)> {
    enum Frame {
        Object {
            keys: Vec<String>,
            key: Option<String>,
        },
        Array {
            index: usize,
        },
    }
    let bytes = text.as_bytes();
    let (mut pos, mut line) = (0usize, 1usize);
    let mut stack: Vec<Frame> = Vec::new();
    let path_of = |stack: &[Frame], last: &str| -> String {
        let mut out = String::new();
        for frame in stack {
            match frame {
                Frame::Object { key: Some(k), .. } => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                Frame::Array { index } => out.push_str(&format!("[{index}]")),
                Frame::Object { key: None, .. } => {}
            }
        }
        if !out.is_empty() {
            out.push('.');
        }
        out.push_str(last);
        out
    };
    while let Some(&b) = bytes.get(pos) {
        match b {
            b'\n' => line += 1,
            b'{' => stack.push(Frame::Object {
                keys: Vec::new(),
                key: None,
            }),
            b'[' => stack.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => {
                if let Some(Frame::Array { index }) = stack.last_mut() {
                    *index += 1;
                }
            }
            b'"' => {
                let start = pos + 1;
                pos += 1;
                while let Some(&c) = bytes.get(pos) {
                    match c {
                        b'\\' => pos += 1,
                        b'"' => break,
                        _ => {}
                    }
                    pos += 1;
                }
                let raw = String::from_utf8_lossy(bytes.get(start..pos).unwrap_or_default());
                // A string is a key when the next non-space byte is a colon.
                let mut next = pos + 1;
                while bytes.get(next).is_some_and(u8::is_ascii_whitespace) {
                    next += 1;
                }
                if bytes.get(next) == Some(&b':') {
                    let found = match stack.last_mut() {
                        Some(Frame::Object { keys, key }) => {
                            let dup = keys.iter().any(|k| *k == raw);
                            keys.push(raw.to_string());
                            *key = Some(raw.to_string());
                            dup
                        }
                        _ => false,
                    };
                    if found {
                        stack.pop();
                        return Some((path_of(&stack, &raw), line));
                    }
                }
            }
            _ => {}
        }
        pos += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_lines() {
        let text =
            "{\n  \"a\": 1,\n  \"b\": [\n    {\"c\": 2},\n    {\n      \"c\": 3\n    }\n  ]\n}";
        assert_eq!(line_of(text, "a"), 2);
        assert_eq!(line_of(text, "b"), 3);
        assert_eq!(line_of(text, "b[1].c"), 6);
        assert_eq!(line_of(text, "b[0].c"), 4);
        assert_eq!(line_of(text, "b[1].zzz"), 5);
    }

    #[test]
    fn finds_duplicate_keys() {
        assert_eq!(duplicate_key(r#"{"a": 1, "b": {"c": 1, "d": 2}}"#), None);
        let text = "{\n  \"p\": {\"x.y\": 1,\n  \"x.y\": 2}\n}";
        assert_eq!(duplicate_key(text), Some(("p.x.y".into(), 3)));
        let text = r#"{"s": [{"id": "a"}, {"id": "b", "k": "id", "id": "c"}]}"#;
        assert_eq!(duplicate_key(text), Some(("s[1].id".into(), 1)));
        assert_eq!(duplicate_key(r#"{"a": "\"a\":", "a2": ["a", "a"]}"#), None);
    }
}

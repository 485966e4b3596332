//! A case read straight from JSON text into values, without building a JSON
//! tree first: what batches of JSONL spend most of their time on.
//!
//! It reads the plain form cases take — objects, lists, numbers, strings
//! without escapes, `true`, `false`, `null` — and gives exactly the case
//! [`case::from_json`](super::case::from_json) gives. Anything else (an
//! escape, a key given twice, a value of the wrong type, a name the package
//! does not have, JSON that is not valid) gives `None`, and the caller reads
//! the text again the general way, which says what is wrong. A test holds
//! the two readers to the same cases on generated JSON.

use super::cell::{money_value, parse_decimal, text_cell};
use super::{Case, Value};
use crate::check::ir::Program;
use crate::lang::types::Type;
use std::sync::Arc;

/// The case of a JSON object in its plain form, or `None`.
pub fn case(program: &Program, text: &str) -> Option<Case> {
    let mut r = Reader {
        bytes: text.as_bytes(),
        text,
        at: 0,
    };
    let mut inputs: Vec<Option<Value>> = vec![None; program.inputs.len()];
    let mut today = None;
    let mut today_seen = false;
    // Keys most often come in the order of the inputs: try the next one
    // first.
    let mut next = 0;
    r.space();
    r.object(|r, key| {
        if key == "today" {
            if std::mem::replace(&mut today_seen, true) {
                return None;
            }
            if !r.null() {
                match text_cell(program, &Type::Date, r.string()?, "today").ok()? {
                    Value::Date(d) => today = Some(d),
                    _ => return None,
                }
            }
        } else {
            let i = match program.inputs.get(next) {
                Some(inp) if inp.name == key => next,
                _ => program.inputs.iter().position(|inp| inp.name == key)?,
            };
            next = i + 1;
            if inputs[i].is_some() {
                return None;
            }
            inputs[i] = Some(r.value(program, &program.inputs[i].ty, Path::Input(key))?);
        }
        Some(())
    })?;
    r.space();
    if r.at != r.bytes.len() {
        return None;
    }
    Some(Case {
        inputs: inputs
            .into_iter()
            .zip(&program.inputs)
            .map(|(v, inp)| v.unwrap_or_else(|| Value::missing(inp.name.clone())))
            .collect(),
        today,
    })
}

/// Where a value stands (`employer.hires[1].wage`), written out only when a
/// fact is missing there.
#[derive(Clone, Copy)]
enum Path<'a> {
    Input(&'a str),
    Field(&'a Path<'a>, &'a str),
    Item(&'a Path<'a>, usize),
}

impl Path<'_> {
    fn text(&self) -> String {
        match self {
            Path::Input(s) => (*s).to_string(),
            Path::Field(p, f) => format!("{}.{f}", p.text()),
            Path::Item(p, i) => format!("{}[{i}]", p.text()),
        }
    }
}

struct Reader<'t> {
    bytes: &'t [u8],
    text: &'t str,
    at: usize,
}

impl<'t> Reader<'t> {
    fn space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        (self.bytes.get(self.at) == Some(&b)).then(|| self.at += 1)
    }

    fn word(&mut self, w: &str) -> bool {
        if self.bytes[self.at..].starts_with(w.as_bytes()) {
            self.at += w.len();
            true
        } else {
            false
        }
    }

    /// An object: `member` reads the value of each key, in order.
    fn object(&mut self, mut member: impl FnMut(&mut Self, &'t str) -> Option<()>) -> Option<()> {
        self.eat(b'{')?;
        self.space();
        if self.eat(b'}').is_some() {
            return Some(());
        }
        loop {
            let key = self.string()?;
            self.space();
            self.eat(b':')?;
            self.space();
            member(self, key)?;
            self.space();
            if self.eat(b',').is_none() {
                return self.eat(b'}');
            }
            self.space();
        }
    }

    fn null(&mut self) -> bool {
        self.word("null")
    }

    /// A string without escapes or control characters.
    fn string(&mut self) -> Option<&'t str> {
        self.eat(b'"')?;
        let start = self.at;
        loop {
            match *self.bytes.get(self.at)? {
                b'"' => break,
                b'\\' => return None,
                b if b < 0x20 => return None,
                _ => self.at += 1,
            }
        }
        let s = &self.text[start..self.at];
        self.at += 1;
        Some(s)
    }

    /// A number as JSON writes it: `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`.
    fn number(&mut self) -> Option<&'t str> {
        let start = self.at;
        let digits = |r: &mut Self| {
            let s = r.at;
            while r.bytes.get(r.at).is_some_and(u8::is_ascii_digit) {
                r.at += 1;
            }
            r.at > s
        };
        self.eat(b'-');
        if self.eat(b'0').is_none() && !digits(self) {
            return None;
        }
        if self.eat(b'.').is_some() && !digits(self) {
            return None;
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.at) {
            self.at += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.at) {
                self.at += 1;
            }
            if !digits(self) {
                return None;
            }
        }
        Some(&self.text[start..self.at])
    }

    fn value(&mut self, program: &Program, ty: &Type, path: Path) -> Option<Value> {
        if self.null() {
            return Some(Value::missing(path.text()));
        }
        match ty {
            Type::Bool => {
                if self.word("true") {
                    Some(Value::Bool(true))
                } else if self.word("false") {
                    Some(Value::Bool(false))
                } else {
                    None
                }
            }
            Type::Int => {
                let n = self.number()?;
                crate::lang::scalar::plain_int(n.as_bytes())
                    .or_else(|| n.parse::<i64>().ok())
                    .map(Value::Int)
            }
            Type::Decimal => {
                let text = match self.bytes.get(self.at)? {
                    b'"' => self.string()?,
                    _ => self.number()?,
                };
                parse_decimal(text).map(Value::Decimal)
            }
            Type::Money => {
                let text = match self.bytes.get(self.at)? {
                    b'"' => self.string()?,
                    _ => self.number()?,
                };
                money_value(text)
            }
            Type::Text => Some(Value::Text(Arc::from(self.string()?))),
            // The path is only for messages, and a wrong cell is read
            // again the general way, which gives one.
            Type::Date | Type::Duration | Type::Period | Type::Enum(_) => {
                text_cell(program, ty, self.string()?, "").ok()
            }
            Type::List(item) => {
                self.eat(b'[')?;
                self.space();
                let mut items = Vec::new();
                if self.eat(b']').is_none() {
                    loop {
                        items.push(self.value(program, item, Path::Item(&path, items.len()))?);
                        self.space();
                        if self.eat(b',').is_some() {
                            self.space();
                            continue;
                        }
                        self.eat(b']')?;
                        break;
                    }
                }
                Some(Value::List(items.into()))
            }
            Type::Record(r) => {
                let record = &program.records[r.index()];
                let mut fields: Vec<Option<Value>> = vec![None; record.fields.len()];
                self.object(|r, key| {
                    let i = record.fields.iter().position(|f| f.name == key)?;
                    if fields[i].is_some() {
                        return None;
                    }
                    let at = Path::Field(&path, key);
                    fields[i] = Some(r.value(program, &record.fields[i].ty, at)?);
                    Some(())
                })?;
                let values: Vec<Value> = fields
                    .into_iter()
                    .zip(&record.fields)
                    .map(|(v, f)| {
                        v.unwrap_or_else(|| Value::missing(format!("{}.{}", path.text(), f.name)))
                    })
                    .collect();
                Some(Value::Record(*r, values.into()))
            }
            Type::Set(_) | Type::Nothing | Type::Error => None,
        }
    }
}

//! Where each character of a source stands — in code, in a text literal or
//! in a comment — for the passes that look at the text before, or without,
//! a parse: splitting a file into chunks, the bracket limit, the comments
//! the formatter keeps, whether a REPL line is finished.

/// The place of one character.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Code,
    /// Inside a text literal, its quotes included.
    Text,
    /// Inside a comment, its `#` included.
    Comment,
}

/// Each character with its byte offset and place. As in the grammar, a text
/// runs from `"` to the next `"` not escaped by `\`, and ends at the end of
/// its line if it is not closed; a comment runs from a `#` outside a text to
/// the end of the line. A line break is always code.
pub fn places(text: &str) -> impl Iterator<Item = (usize, char, Place)> + '_ {
    let mut place = Place::Code;
    let mut escaped = false;
    text.char_indices().map(move |(i, c)| {
        if c == '\n' {
            place = Place::Code;
            return (i, c, Place::Code);
        }
        let here = match place {
            Place::Comment => Place::Comment,
            Place::Text => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    place = Place::Code;
                }
                Place::Text
            }
            Place::Code => {
                match c {
                    '"' => {
                        place = Place::Text;
                        escaped = false;
                    }
                    '#' => place = Place::Comment,
                    _ => {}
                }
                place
            }
        };
        (i, c, here)
    })
}

/// The characters of code alone, with their byte offsets.
pub fn code(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    places(text).filter_map(|(i, c, p)| (p == Place::Code).then_some((i, c)))
}

/// Full-width punctuation that a Chinese input method types in place of
/// Pol's ASCII punctuation, and the character to write instead.
pub const FULL_WIDTH: &[(char, char)] = &[
    ('，', ','),
    ('（', '('),
    ('）', ')'),
    ('：', ':'),
    ('“', '"'),
    ('”', '"'),
    ('；', ';'),
    ('［', '['),
    ('］', ']'),
    ('｛', '{'),
    ('｝', '}'),
    ('＝', '='),
];

/// The ASCII character a full-width one stands for.
pub fn ascii_of(c: char) -> Option<char> {
    FULL_WIDTH.iter().find(|(f, _)| *f == c).map(|(_, a)| *a)
}

/// The runs of full-width punctuation in code (outside texts and comments,
/// and outside `“…”` typed for a text), as byte ranges: adjacent ones form
/// one run.
pub fn full_width_runs(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut runs: Vec<std::ops::Range<usize>> = Vec::new();
    // `“…”` typed for a text: what is between the quotes is text.
    let mut curly = false;
    for (i, c, place) in places(text) {
        if c == '\n' {
            curly = false;
        }
        if place != Place::Code {
            continue;
        }
        if curly && c != '”' {
            continue;
        }
        match c {
            '“' => curly = true,
            '”' => curly = false,
            _ => {}
        }
        if ascii_of(c).is_none() {
            continue;
        }
        let end = i + c.len_utf8();
        match runs.last_mut() {
            Some(r) if r.end == i => r.end = end,
            _ => runs.push(i..end),
        }
    }
    runs
}

/// `text` with its full-width punctuation in code written in ASCII.
/// `keep_offsets` pads each with spaces to its byte length, so that the
/// places of everything else stay where they were (for parsing on after
/// reporting them).
pub fn to_ascii(text: &str, keep_offsets: bool) -> String {
    let runs = full_width_runs(text);
    if runs.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for r in runs {
        out.push_str(&text[at..r.start]);
        for c in text[r.clone()].chars() {
            out.push(ascii_of(c).unwrap_or(c));
            if keep_offsets {
                out.extend(std::iter::repeat_n(' ', c.len_utf8() - 1));
            }
        }
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(text: &str) -> String {
        places(text)
            .map(|(_, _, p)| match p {
                Place::Code => 'c',
                Place::Text => 't',
                Place::Comment => '#',
            })
            .collect()
    }

    #[test]
    fn texts_comments_and_escapes() {
        assert_eq!(shape(r#"a "b#" # c"#), "ccttttc###");
        assert_eq!(shape(r#""a\"b" c"#), "ttttttcc");
        assert_eq!(shape("\"open\nx"), "tttttcc");
        assert_eq!(shape("# c\nx"), "###cc");
    }
}

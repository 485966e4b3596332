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

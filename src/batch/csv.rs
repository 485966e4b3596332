//! The CSV of batches: comma-separated cells, a cell in double quotes may
//! hold commas and `""` for a quote; a row is one line.

use std::borrow::Cow;

/// The cells of one line.
pub fn split(line: &str) -> Result<Vec<Cow<'_, str>>, String> {
    let mut cells = Vec::new();
    let bytes = line.as_bytes();
    let mut i = 0;
    loop {
        if bytes.get(i) == Some(&b'"') {
            // A quoted cell.
            let mut text = String::new();
            let mut j = i + 1;
            loop {
                match bytes.get(j) {
                    None => {
                        return Err(format!(
                            "a quoted cell that starts at column {} is not closed",
                            i + 1
                        ));
                    }
                    Some(b'"') if bytes.get(j + 1) == Some(&b'"') => {
                        text.push('"');
                        j += 2;
                    }
                    Some(b'"') => break,
                    Some(_) => {
                        let next = line[j..].chars().next().map_or(1, char::len_utf8);
                        text.push_str(&line[j..j + next]);
                        j += next;
                    }
                }
            }
            cells.push(Cow::Owned(text));
            i = j + 1;
            match bytes.get(i) {
                None => return Ok(cells),
                Some(b',') => i += 1,
                Some(_) => return Err(format!("text after the closing quote at column {}", i + 1)),
            }
        } else {
            let end = line[i..].find(',').map_or(line.len(), |k| i + k);
            cells.push(Cow::Borrowed(&line[i..end]));
            if end == line.len() {
                return Ok(cells);
            }
            i = end + 1;
        }
    }
}

/// A cell as CSV writes it: quoted when it must be.
pub fn quote(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells() {
        assert_eq!(split("a,b,,c").unwrap(), ["a", "b", "", "c"]);
        assert_eq!(
            split("\"x, y\",\"say \"\"hi\"\"\",z").unwrap(),
            ["x, y", "say \"hi\"", "z"]
        );
        assert_eq!(split("").unwrap(), [""]);
        assert!(split("\"open").is_err());
        assert!(split("\"a\"b").is_err());
        assert_eq!(quote("a,b"), "\"a,b\"");
        assert_eq!(quote("plain"), "plain");
    }
}

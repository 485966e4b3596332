//! The CSV of batches (RFC 4180): comma-separated cells; a cell in double
//! quotes may hold commas, line breaks and `""` for a quote; a record ends
//! at a line end (`\n` or `\r\n`) outside quotes. Cells are split by
//! `csv-core`'s reader and quoted by its writer (the `csv` crate's own);
//! where records end, so that blocks of records can be shared out among the
//! cores, is found by [`records`], which follows the same states so that the
//! two always agree.

use crate::i18n::tr;
use std::borrow::Cow;
use std::ops::Range;

/// The cells of one record (its line end removed).
pub fn split(record: &str) -> Result<Vec<Cow<'_, str>>, String> {
    let bytes = record.as_bytes();
    // A record without quotes is split where it stands, without copying.
    if !bytes.contains(&b'"') {
        return Ok(record.split(',').map(Cow::Borrowed).collect());
    }
    check_quotes(bytes)?;
    // The record with its line end, so that csv-core sees where it ends.
    let mut input = Vec::with_capacity(bytes.len() + 1);
    input.extend_from_slice(bytes);
    input.push(b'\n');
    let mut rest = &input[..];
    let mut reader = csv_core::Reader::new();
    let mut field = vec![0u8; input.len()];
    let mut cells = Vec::new();
    loop {
        let (result, read, written) = reader.read_field(rest, &mut field);
        rest = &rest[read..];
        match result {
            csv_core::ReadFieldResult::Field { record_end } => {
                let text = String::from_utf8(field[..written].to_vec())
                    .map_err(|_| "a cell is not UTF-8 text".to_string())?;
                cells.push(Cow::Owned(text));
                if record_end {
                    return Ok(cells);
                }
            }
            // The quotes were checked, so the record always ends.
            _ => return Err("the record does not end".into()),
        }
    }
}

/// Where quotes are malformed in the way RFC 4180 forbids and a reader
/// would otherwise read silently: a quoted cell that is not closed, or text
/// after the closing quote of a cell.
fn check_quotes(bytes: &[u8]) -> Result<(), String> {
    let mut state = State::FieldStart;
    let mut opened = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let before = state;
        state = state.next(b);
        if before == State::FieldStart && state == State::Quoted {
            opened = i;
        }
        if before == State::QuoteInQuoted && state == State::Unquoted {
            return Err(tr!("csv-after-quote", column = (i + 1).to_string()));
        }
    }
    if matches!(state, State::Quoted) {
        return Err(tr!("csv-unclosed-quote", column = (opened + 1).to_string()));
    }
    Ok(())
}

/// Where a reader stands in a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// At the start of a cell.
    FieldStart,
    /// In a cell without quotes.
    Unquoted,
    /// Inside the quotes of a cell.
    Quoted,
    /// After a quote inside a quoted cell: the end of the cell, or the
    /// first half of `""`.
    QuoteInQuoted,
}

impl State {
    fn next(self, b: u8) -> State {
        match (self, b) {
            (State::FieldStart, b'"') => State::Quoted,
            (State::FieldStart | State::Unquoted | State::QuoteInQuoted, b',') => State::FieldStart,
            (State::FieldStart | State::Unquoted | State::QuoteInQuoted, b'\n') => {
                State::FieldStart
            }
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, _) => State::Quoted,
            (State::QuoteInQuoted, b'"') => State::Quoted,
            _ => State::Unquoted,
        }
    }
}

/// The records of a block of CSV text that starts at a record's start, as
/// byte ranges without their line ends, and how many bytes of the block
/// they take. A record ends at `\n`, `\r\n` or a lone `\r` outside quotes
/// (as the `csv` crate reads them). The bytes after the last line end are a
/// record only when `at_end` (the end of the input); otherwise they are left
/// for the next block.
pub fn records(block: &[u8], at_end: bool) -> (Vec<Range<usize>>, usize) {
    // Without quotes or carriage returns in the block, every `\n` ends a
    // record.
    if memchr::memchr2(b'"', b'\r', block).is_none() {
        return lines(block, at_end);
    }
    let mut out = Vec::new();
    let mut start = 0;
    let quoted = block.contains(&b'"');
    let mut state = State::FieldStart;
    let mut i = 0;
    while i < block.len() {
        let b = block[i];
        let in_quotes = quoted && state == State::Quoted;
        if (b == b'\n' || b == b'\r') && !in_quotes {
            if b == b'\r' {
                match block.get(i + 1) {
                    Some(b'\n') => {
                        out.push(start..i);
                        i += 2;
                        start = i;
                        state = State::FieldStart;
                        continue;
                    }
                    // `\r` at the end of the block may be the first half of
                    // `\r\n`: the next block decides.
                    None if !at_end => break,
                    _ => {}
                }
            }
            out.push(start..i);
            start = i + 1;
            state = State::FieldStart;
        } else if quoted {
            state = state.next(b);
        }
        i += 1;
    }
    let mut used = start;
    if at_end && start < block.len() {
        out.push(start..block.len());
        used = block.len();
    }
    (out, used)
}

/// The lines of a block of JSONL (a JSON text never holds a raw line
/// break), as [`records`] gives them.
pub fn lines(block: &[u8], at_end: bool) -> (Vec<Range<usize>>, usize) {
    let mut out = Vec::new();
    let mut start = 0;
    for i in memchr::memchr_iter(b'\n', block) {
        let end = if i > start && block[i - 1] == b'\r' {
            i - 1
        } else {
            i
        };
        out.push(start..end);
        start = i + 1;
    }
    let mut used = start;
    if at_end && start < block.len() {
        out.push(start..block.len());
        used = block.len();
    }
    (out, used)
}

/// A cell as CSV writes it: quoted when it must be (a comma, a quote, a
/// line break), by csv-core's writer, as the `csv` crate writes cells.
pub fn quote(text: &str) -> String {
    if !text.contains([',', '"', '\n', '\r']) {
        return text.to_string();
    }
    let mut writer = csv_core::Writer::new();
    // Quoted, every quote doubled: at most twice as long, and the quotes.
    let mut out = vec![0u8; 2 * text.len() + 2];
    let (result, read, written) = writer.field(text.as_bytes(), &mut out);
    let (end, more) = writer.finish(&mut out[written..]);
    match (result, end, read == text.len()) {
        (csv_core::WriteResult::InputEmpty, csv_core::WriteResult::InputEmpty, true) => {
            out.truncate(written + more);
            String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into())
        }
        // The buffer is large enough for any cell; should it not be, the
        // cell is quoted by hand, as RFC 4180 has it.
        _ => format!("\"{}\"", text.replace('"', "\"\"")),
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
        assert_eq!(split("\"two\nlines\",2").unwrap(), ["two\nlines", "2"]);
        assert_eq!(split("").unwrap(), [""]);
        assert_eq!(split("\"\"").unwrap(), [""]);
        assert_eq!(split("a,\"\"").unwrap(), ["a", ""]);
        assert!(split("\"open").is_err());
        assert!(split("\"a\"b").is_err());
        assert_eq!(quote("a,b"), "\"a,b\"");
        assert_eq!(quote("plain"), "plain");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(quote("two\nlines"), "\"two\nlines\"");
        assert_eq!(quote("a\r"), "\"a\r\"");
        assert_eq!(quote("\"\""), "\"\"\"\"\"\"");
        assert_eq!(quote(""), "");
        assert_eq!(quote("中文,字"), "\"中文,字\"");
    }

    fn texts(block: &[u8], at_end: bool) -> (Vec<&str>, usize) {
        let (ranges, used) = records(block, at_end);
        let v = ranges
            .into_iter()
            .map(|r| std::str::from_utf8(&block[r]).unwrap())
            .collect();
        (v, used)
    }

    #[test]
    fn records_end_at_line_ends_outside_quotes() {
        assert_eq!(texts(b"a,b\nc,d\n", false), (vec!["a,b", "c,d"], 8));
        assert_eq!(texts(b"a,b\r\nc,d", false), (vec!["a,b"], 5));
        assert_eq!(texts(b"a,b\r\nc,d", true), (vec!["a,b", "c,d"], 8));
        assert_eq!(
            texts(b"1,\"a\nb\"\n2,\"c\"\"\nd\"\n", false),
            (vec!["1,\"a\nb\"", "2,\"c\"\"\nd\""], 18)
        );
        // A quote inside an unquoted cell is text, not the start of quotes.
        assert_eq!(
            texts(b"5\" tall,1\n2,3\n", false),
            (vec!["5\" tall,1", "2,3"], 14)
        );
        // An open quote at the end of the input is one record.
        assert_eq!(
            texts(b"1,\"open\n2,3\n", true),
            (vec!["1,\"open\n2,3\n"], 12)
        );
        assert_eq!(texts(b"1,\"open\n2,3\n", false), (vec![], 0));
        // A lone `\r` ends a record; `\r` at a block's end waits for the next.
        assert_eq!(texts(b"a\rb\rc", true), (vec!["a", "b", "c"], 5));
        assert_eq!(texts(b"a\r", false), (vec![], 0));
        assert_eq!(texts(b"a\r", true), (vec!["a"], 2));
        assert_eq!(texts(b"\"x\ry\"\r", true), (vec!["\"x\ry\""], 6));
    }

    #[test]
    fn records_and_csv_core_agree() {
        // Every record found splits into cells without error, and the
        // cells joined again with quoting give the same cells back.
        let block = b"a,\"b,c\",\"d\ne\",\"f\"\"g\"\nh,i,j,k\n";
        let (ranges, _) = records(block, true);
        assert_eq!(ranges.len(), 2);
        for r in ranges {
            let text = std::str::from_utf8(&block[r]).unwrap();
            let cells = split(text).unwrap();
            let again: Vec<String> = cells.iter().map(|c| quote(c)).collect();
            assert_eq!(split(&again.join(",")).unwrap(), cells);
        }
    }
}

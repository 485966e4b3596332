//! The text encoding of a cases file. Excel on Chinese Windows saves CSV as
//! GBK (GB18030's older subset); Excel's "CSV UTF-8" adds a BOM. A file is
//! read as UTF-8 when its start is UTF-8, else as GB18030 when its start
//! is that, else refused with the file's name and the fix; `--encoding`
//! says which, where guessing is not wanted. Bytes that are not text of the
//! chosen encoding stop the batch with their place: no character is ever
//! replaced by a guess.

use crate::i18n::tr;
use std::io::{BufRead, Read};

/// The encodings a cases file may be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 if the file's start is UTF-8, else GB18030 if it is that.
    Auto,
    Utf8,
    Gb18030,
}

impl Encoding {
    /// `utf-8`, `gbk`, `gb18030`, `gb2312` or `auto`.
    pub fn of(name: &str) -> Result<Encoding, String> {
        match name.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "auto" => Ok(Encoding::Auto),
            "utf-8" | "utf8" => Ok(Encoding::Utf8),
            // GB18030 contains GBK, which contains GB2312.
            "gbk" | "gb18030" | "gb2312" | "cp936" => Ok(Encoding::Gb18030),
            other => Err(tr!("encoding-1", other = other.to_string())),
        }
    }
}

/// How much of a file is looked at to tell its encoding.
const SNIFF_BYTES: usize = 1 << 20;

/// Whether `bytes` is UTF-8, but for a character cut at its end.
fn utf8_prefix(bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    }
}

/// Whether `bytes` is GB18030, but for a character cut at its end.
fn gb18030_prefix(bytes: &[u8]) -> bool {
    (0..4.min(bytes.len() + 1)).any(|cut| {
        encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(&bytes[..bytes.len() - cut])
            .is_some()
    })
}

/// The input as UTF-8 text, and a note to show when the encoding was
/// guessed; or why it cannot be read (naming `name`).
pub fn decoded(
    mut input: Box<dyn BufRead>,
    encoding: Encoding,
    name: &str,
) -> Result<(Box<dyn BufRead>, Option<String>), String> {
    let gb = |r: Box<dyn Read>| -> Box<dyn BufRead> {
        Box::new(std::io::BufReader::with_capacity(
            1 << 20,
            Gb18030Reader::new(r),
        ))
    };
    match encoding {
        Encoding::Utf8 => Ok((input, None)),
        Encoding::Gb18030 => Ok((gb(Box::new(input)), None)),
        Encoding::Auto => {
            // What one read gives, without waiting for more: standard input
            // may be a pipe that a person types into, or Ctrl-Cs.
            let start = input
                .fill_buf()
                .map_err(|e| tr!("encoding-2", name = name.to_string(), e = e.to_string()))?;
            let start = &start[..start.len().min(SNIFF_BYTES)];
            if utf8_prefix(start) {
                Ok((input, None))
            } else if gb18030_prefix(start) {
                Ok((
                    gb(Box::new(input)),
                    Some(tr!("encoding-3", name = name.to_string())),
                ))
            } else {
                Err(tr!("encoding-4", name = name.to_string()))
            }
        }
    }
}

/// GB18030 bytes read as UTF-8, a block at a time; a byte sequence that is
/// not GB18030 is an error with its offset.
struct Gb18030Reader {
    inner: Box<dyn Read>,
    decoder: encoding_rs::Decoder,
    input: Vec<u8>,
    output: Vec<u8>,
    /// Where the unread part of `output` starts.
    at: usize,
    /// Bytes of the input decoded so far.
    consumed: u64,
    done: bool,
}

impl Gb18030Reader {
    fn new(inner: Box<dyn Read>) -> Gb18030Reader {
        Gb18030Reader {
            inner,
            decoder: encoding_rs::GB18030.new_decoder_without_bom_handling(),
            input: vec![0; 64 << 10],
            output: Vec::new(),
            at: 0,
            consumed: 0,
            done: false,
        }
    }
}

impl Read for Gb18030Reader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.at == self.output.len() && !self.done {
            let n = self.inner.read(&mut self.input)?;
            let last = n == 0;
            self.output.clear();
            self.at = 0;
            let room = self
                .decoder
                .max_utf8_buffer_length_without_replacement(n)
                .unwrap_or(n * 3 + 16);
            self.output.resize(room, 0);
            let (result, read, written) = self.decoder.decode_to_utf8_without_replacement(
                &self.input[..n],
                &mut self.output,
                last,
            );
            self.output.truncate(written);
            if let encoding_rs::DecoderResult::Malformed(bad, _) = result {
                let at = self.consumed + read as u64 - u64::from(bad);
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    tr!("encoding-5", at = at.to_string()),
                ));
            }
            self.consumed += read as u64;
            self.done = last;
        }
        let n = buf.len().min(self.output.len() - self.at);
        buf[..n].copy_from_slice(&self.output[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8], e: Encoding) -> Result<(String, bool), String> {
        let input: Box<dyn BufRead> = Box::new(std::io::Cursor::new(bytes.to_vec()));
        let (mut r, note) = decoded(input, e, "cases.csv")?;
        let mut s = String::new();
        r.read_to_string(&mut s).map_err(|e| e.to_string())?;
        Ok((s, note.is_some()))
    }

    #[test]
    fn gbk_is_read_as_what_it_says_and_said_so() {
        let (gbk, _, _) = encoding_rs::GBK.encode("规模,人数\n小型,3\n");
        assert_eq!(
            read(&gbk, Encoding::Auto),
            Ok(("规模,人数\n小型,3\n".into(), true))
        );
        assert_eq!(
            read(&gbk, Encoding::Gb18030),
            Ok(("规模,人数\n小型,3\n".into(), false))
        );
        assert_eq!(
            read("规模\n".as_bytes(), Encoding::Auto),
            Ok(("规模\n".into(), false))
        );
        // Neither: refused, with the file's name.
        let e = read(&[0xff, 0xff, 0xff, 0x30], Encoding::Auto).unwrap_err();
        assert!(e.contains("cases.csv") && e.contains("--encoding"), "{e}");
        // A bad byte past the start: an error with its place, not a guess.
        let mut long = gbk.to_vec();
        long.extend(std::iter::repeat_n(b'a', SNIFF_BYTES + 10));
        long.extend([0x81, 0x20]);
        let e = read(&long, Encoding::Auto).unwrap_err();
        assert!(e.contains("not GBK/GB18030"), "{e}");
        assert_eq!(Encoding::of("GBK"), Ok(Encoding::Gb18030));
        assert!(Encoding::of("latin1").is_err());
    }
}

//! Byte offsets and the protocol's positions: a line, and a column counted
//! in UTF-16 code units (a Chinese character is one, an emoji two).

use lsp_types::Position;

/// The starts of the lines of a text.
pub struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    pub fn new(text: &'t str) -> Lines<'t> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { text, starts }
    }

    /// The position of a byte offset (clamped to the text).
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let column: usize = self.text[start..offset].chars().map(char::len_utf16).sum();
        Position::new(line as u32, column as u32)
    }

    /// The byte offset of a position (clamped to its line, and to the text).
    pub fn offset(&self, p: Position) -> usize {
        let Some(&start) = self.starts.get(p.line as usize) else {
            return self.text.len();
        };
        let end = self
            .starts
            .get(p.line as usize + 1)
            .map_or(self.text.len(), |&e| e.saturating_sub(1).max(start));
        let mut units = 0usize;
        for (i, c) in self.text[start..end].char_indices() {
            if units >= p.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units() {
        let text = "ab\n补贴 x\n😀y\n";
        let l = Lines::new(text);
        let x = text.find('x').expect("x");
        assert_eq!(l.position(x), Position::new(1, 3));
        assert_eq!(l.offset(Position::new(1, 3)), x);
        let y = text.find('y').expect("y");
        assert_eq!(l.position(y), Position::new(2, 2));
        assert_eq!(l.offset(Position::new(2, 2)), y);
        // Past the end of a line: its end.
        assert_eq!(l.offset(Position::new(0, 99)), 2);
        assert_eq!(l.offset(Position::new(9, 0)), text.len());
    }
}

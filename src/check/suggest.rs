//! "Did you mean …?" for unknown names, and the closest passage of a
//! document for a quote that is not in it.

/// Edit distance in characters (insert, delete, substitute, swap).
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev2: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
        }
        prev2 = std::mem::replace(&mut prev, cur);
    }
    prev[b.len()]
}

/// Names longer than this (in bytes) get no "did you mean".
const MAX_SUGGESTED_LEN: usize = 256;

/// The candidate closest to `name`, if it is close enough to be a typo.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    // The work is bounded by the length of the name: a name longer than
    // any identifier a person types gets no suggestion, and a candidate
    // whose length differs by more than the limit cannot be close (the
    // distance is at least the difference).
    if name.len() > MAX_SUGGESTED_LEN {
        return None;
    }
    let len = name.chars().count();
    let limit = (len / 3).max(1);
    candidates
        .into_iter()
        .filter(|c| *c != name)
        .filter(|c| c.len() <= MAX_SUGGESTED_LEN * 2 && c.chars().count().abs_diff(len) <= limit)
        .map(|c| (distance(name, c), c))
        .filter(|(d, c)| *d <= limit || (c.to_lowercase() == name.to_lowercase()))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Where a quote parts from a document: the longest prefix of the quote
/// that the document contains, and the passage that follows it there.
pub struct Departure {
    /// Characters of the quote that match.
    pub matched: usize,
    /// What the quote has next (a few characters).
    pub quote_next: String,
    /// What the document has next, after the same prefix.
    pub document_next: String,
    /// The sentence of the document the prefix is in.
    pub passage: String,
}

pub fn departure(quote: &str, document: &str) -> Departure {
    let chars: Vec<(usize, char)> = quote.char_indices().collect();
    // The longest prefix the document contains (containment is monotone in
    // the prefix length, so a binary search finds it).
    let (mut lo, mut hi) = (0usize, chars.len());
    let byte_at = |n: usize| {
        if n == chars.len() {
            quote.len()
        } else {
            chars[n].0
        }
    };
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if document.contains(&quote[..byte_at(mid)]) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let prefix = &quote[..byte_at(lo)];
    let quote_next: String = quote[byte_at(lo)..].chars().take(12).collect();
    let (document_next, passage) = if lo >= 4 {
        let at = document.find(prefix).unwrap_or(0) + prefix.len();
        let next: String = document[at..].chars().take(12).collect();
        (next, sentence_around(document, at))
    } else {
        (String::new(), closest_sentence(quote, document))
    };
    Departure {
        matched: lo,
        quote_next,
        document_next,
        passage,
    }
}

fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '\n' | ';' | '；' | '!' | '！' | '?' | '？')
}

fn sentence_around(document: &str, at: usize) -> String {
    let start = document[..at]
        .char_indices()
        .rev()
        .find(|&(_, c)| is_sentence_end(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = document[at..]
        .char_indices()
        .find(|&(_, c)| is_sentence_end(c))
        .map_or(document.len(), |(i, c)| at + i + c.len_utf8());
    document[start..end].trim().to_string()
}

/// The sentence sharing the most character pairs with the quote.
fn closest_sentence(quote: &str, document: &str) -> String {
    let pairs = |s: &str| -> Vec<(char, char)> {
        let cs: Vec<char> = s.chars().collect();
        let mut p: Vec<(char, char)> = cs.windows(2).map(|w| (w[0], w[1])).collect();
        p.sort_unstable();
        p.dedup();
        p
    };
    let q = pairs(quote);
    document
        .split(is_sentence_end)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            let p = pairs(s);
            let common = p.iter().filter(|x| q.binary_search(x).is_ok()).count();
            (common * 2 * 1000 / (p.len() + q.len()).max(1), s)
        })
        .max_by_key(|(score, _)| *score)
        .map(|(_, s)| s.to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_are_found() {
        assert_eq!(
            did_you_mean("contract_trem", ["contract_term", "hired_on"]),
            Some("contract_term")
        );
        assert_eq!(did_you_mean("x", ["hired_on"]), None);
        assert_eq!(did_you_mean("补助", ["补贴", "金额"]), Some("补贴"));
    }

    #[test]
    fn departure_points_at_the_first_difference() {
        let doc = "第一句,内容。第二句话很长,包括逗号。";
        let d = departure("第二句话很长，包括逗号。", doc);
        assert_eq!(d.quote_next.chars().next(), Some('，'));
        assert_eq!(d.document_next.chars().next(), Some(','));
        assert_eq!(d.passage, "第二句话很长,包括逗号。");
    }
}

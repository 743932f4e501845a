//! Recognising the words of a closed vocabulary (a stage, a hukou, a household status, ...)
//! quickly: a perfect hash of each vocabulary, found at compile time.
//!
//! Why: a roster cell is matched against its vocabulary once per row, tens of millions of
//! times in a provincial run. A `match` on the text compares it with the words one after the
//! other, and on real rosters (words in no particular order) the processor mispredicts which
//! comparison succeeds. Here the cell's length and three of its bytes pick the one word it
//! can be, and a single comparison with that word decides. The answer is always the
//! `match`'s: a cell is recognised only when it equals the word. Measured per cell, in the
//! order of words of a synthetic roster: a stage 8.5 ns (the `match` 11), a hukou 5.0 (7.6),
//! a school location 4.1 (8.4); about a tenth of the CPU of `evaluate_table` in Python.

/// Slots of a [`WordIndex`]: enough for a vocabulary of up to 32 words with few collisions
/// to avoid.
const SLOTS: usize = 64;

/// Seeds tried before [`WordIndex::new`] gives up and falls back to comparing the words in
/// turn (no vocabulary of the crate needs more than a few; a unit test checks each one).
const SEEDS_TRIED: u32 = 4096;

/// A perfect hash of a vocabulary: which word a text can be, from its length and its first,
/// middle and last bytes. Built at compile time by [`WordIndex::new`].
#[derive(Debug, Clone, Copy)]
pub struct WordIndex {
    /// The vocabulary.
    words: &'static [&'static str],
    /// The seed under which no two words share a slot; `None` when no seed was found (the
    /// words are then compared in turn).
    seed: Option<u32>,
    /// Per slot, the word's position in the vocabulary plus one (0: no word).
    slots: [u8; SLOTS],
}

/// The slot of a text of `len` bytes whose first, middle and last bytes are given.
const fn slot(len: usize, first: u8, middle: u8, last: u8, seed: u32) -> usize {
    let h = (len as u32).wrapping_mul(0x9E37_79B1)
        ^ (first as u32).wrapping_mul(0x85EB_CA77)
        ^ (middle as u32).wrapping_mul(0x1656_67B1)
        ^ (last as u32).wrapping_mul(0xC2B2_AE3D);
    // Mixed with the seed (xor-shift-multiply, so that each seed moves every word
    // differently); the top six bits are a slot in 0..64.
    let mut x = h ^ seed.wrapping_mul(0x9E37_79B9);
    x ^= x >> 15;
    x = x.wrapping_mul(0x2C1B_3C6D);
    x ^= x >> 12;
    x = x.wrapping_mul(0x297A_2D39);
    (x >> 26) as usize
}

/// `a == b`, compared eight bytes at a time in line: a call to `memcmp` costs more than
/// the comparison of a word of a dozen bytes.
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let word = |c: &[u8]| <[u8; 8]>::try_from(c).map(u64::from_ne_bytes).ok();
    let half = |c: &[u8]| <[u8; 4]>::try_from(c).map(u32::from_ne_bytes).ok();
    let n = a.len();
    let at = |c: &[u8], i: usize| c.get(i..i + 8).and_then(word);
    if (8..=24).contains(&n) {
        // Three eight-byte windows, overlapping as needed, cover every byte: the same
        // steps for every length of the range (no loop whose trip count would be guessed).
        let middle = (n - 8).min(8);
        at(a, 0) == at(b, 0) && at(a, middle) == at(b, middle) && at(a, n - 8) == at(b, n - 8)
    } else if (4..8).contains(&n) {
        // The first four bytes and the last four (overlapping).
        a.get(..4).map(half) == b.get(..4).map(half)
            && a.get(n - 4..).map(half) == b.get(n - 4..).map(half)
    } else {
        a == b
    }
}

impl WordIndex {
    /// The index of `words` (each non-empty, at most 255 of them). Evaluated at compile time
    /// where it is used in a constant.
    #[allow(clippy::indexing_slicing)] // compile-time: every index is checked by a guard
    pub const fn new(words: &'static [&'static str]) -> WordIndex {
        let fallback = WordIndex {
            words,
            seed: None,
            slots: [0; SLOTS],
        };
        if words.len() > SLOTS / 2 {
            return fallback;
        }
        let mut seed = 0;
        while seed < SEEDS_TRIED {
            let mut slots = [0u8; SLOTS];
            let mut i = 0;
            let mut perfect = true;
            while i < words.len() {
                let w = words[i].as_bytes();
                if w.is_empty() {
                    return fallback;
                }
                let s = slot(w.len(), w[0], w[w.len() / 2], w[w.len() - 1], seed);
                if slots[s] != 0 {
                    perfect = false;
                    break;
                }
                slots[s] = (i + 1) as u8;
                i += 1;
            }
            if perfect {
                return WordIndex {
                    words,
                    seed: Some(seed),
                    slots,
                };
            }
            seed += 1;
        }
        fallback
    }

    /// The position in the vocabulary of the word equal to `text`, if any.
    #[inline(always)]
    pub fn find(&self, text: &str) -> Option<usize> {
        let words = self.words;
        let Some(seed) = self.seed else {
            return words.iter().position(|w| *w == text);
        };
        let b = text.as_bytes();
        let (first, middle, last) = (*b.first()?, *b.get(b.len() / 2)?, *b.last()?);
        let position = usize::from(*self.slots.get(slot(b.len(), first, middle, last, seed))?);
        let position = position.checked_sub(1)?;
        same_bytes(words.get(position)?.as_bytes(), b).then_some(position)
    }

    /// Whether a perfect hash was found (otherwise [`WordIndex::find`] compares in turn).
    pub fn is_perfect(&self) -> bool {
        self.seed.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORDS: &[&str] = &["preschool", "primary", "junior_middle", "masters", "m"];
    const INDEX: WordIndex = WordIndex::new(WORDS);

    #[test]
    fn finds_exactly_the_words() {
        assert!(INDEX.is_perfect());
        for (i, w) in WORDS.iter().enumerate() {
            assert_eq!(INDEX.find(w), Some(i), "{w}");
        }
        // Same length and same first, middle and last bytes as a word, but not the word.
        for text in [
            "", "prXmary", "Primary", "primary ", "master", "mastersx", "n", "mm",
        ] {
            assert_eq!(INDEX.find(text), None, "{text:?}");
        }
    }

    #[test]
    fn compares_bytes_like_eq() {
        let texts = [
            "",
            "a",
            "abcdefg",
            "abcdefgh",
            "abcdefgX",
            "abcdefghi",
            "abcdefghX",
            "Xbcdefghi",
            "abcdefghijklmnop",
            "abcdefghijklmnoX",
            "abcdefghXjklmnopq",
            "abcdefghijklmnopq",
            "national_encouragement_scholarship",
        ];
        for a in texts {
            for b in texts {
                assert_eq!(
                    same_bytes(a.as_bytes(), b.as_bytes()),
                    a == b,
                    "{a:?} {b:?}"
                );
            }
        }
    }

    #[test]
    fn falls_back_to_comparing_in_turn() {
        // More words than the slots take: compared in turn.
        let words: Vec<&'static str> = (0..40)
            .map(|i| &*Box::leak(format!("w{i}").into_boxed_str()))
            .collect();
        let index = WordIndex::new(Box::leak(words.into_boxed_slice()));
        assert!(!index.is_perfect());
        assert_eq!(index.find("w37"), Some(37));
        assert_eq!(index.find("w40"), None);
        // An empty word cannot be hashed (it has no first byte): compared in turn.
        let with_empty = WordIndex::new(&["", "a"]);
        assert!(!with_empty.is_perfect());
        assert_eq!(with_empty.find(""), Some(0));
        assert_eq!(with_empty.find("a"), Some(1));
    }
}

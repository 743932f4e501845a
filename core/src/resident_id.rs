//! Resident identity numbers (居民身份证号码, GB 11643-1999): validation and masking.
//!
//! A number has 18 characters: a 6-digit region code (GB/T 2260, the place of first
//! registration), the birth date `YYYYMMDD`, a 3-digit sequence (odd for men, even for
//! women) and a check character computed by ISO 7064 MOD 11-2 over the first 17 digits
//! (`0`–`9` or `X`). Registry reconciliation (精准识别, seeds 000 and 002) matches the
//! poverty registry with enrolment by this number, so a number that fails these checks is
//! reported, never silently matched.
//!
//! A resident ID is personal data: this module owns the masked form
//! (`1304************34`), and every message it builds shows only that form. Names are
//! masked the same way ([`mask_name`]). Nothing here reads a clock: the date a birth date
//! must not follow is an argument.

use crate::{Error, Result};
use chrono::{Datelike, NaiveDate};
use std::fmt;

/// The weights of GB 11643 (MOD 11-2) for the first 17 digits.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// The check character for each remainder modulo 11.
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// A valid resident identity number (居民身份证号码), normalised (upper-case `X`).
///
/// Its `Debug` and `Display` show the masked form only; [`ResidentId::as_str`] gives the
/// full number to code that must match it.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResidentId {
    number: String,
    birth_date: NaiveDate,
}

/// Why a text is not a valid resident ID (a stable code, and a message that shows the
/// number masked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdProblem {
    /// `wrong_length`, `invalid_character`, `invalid_birth_date`, `birth_after_date` or
    /// `check_digit_mismatch`.
    pub code: &'static str,
    /// A sentence a person can act on; the number appears masked.
    pub message: String,
}

impl IdProblem {
    fn new(code: &'static str, message: String) -> IdProblem {
        IdProblem { code, message }
    }

    /// The problem as an [`Error::InvalidInput`] on `field`.
    pub fn into_error(self, field: &str) -> Error {
        Error::invalid(field, self.code, self.message)
    }
}

impl fmt::Display for IdProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl ResidentId {
    /// Parse and validate `text` (surrounding spaces ignored, a lower-case `x` accepted):
    /// 18 characters, 17 digits and a check character, a real birth date not before
    /// 1900-01-01, and the GB 11643 check character.
    pub fn parse(text: &str) -> std::result::Result<ResidentId, IdProblem> {
        let trimmed = text.trim();
        let masked = mask(trimmed);
        let count = trimmed.chars().count();
        if count != 18 {
            return Err(IdProblem::new(
                "wrong_length",
                format!("resident ID {masked} has {count} characters; expected 18 (GB 11643)"),
            ));
        }
        let number = trimmed.to_ascii_uppercase();
        let bytes = number.as_bytes();
        let (body, last) = bytes.split_at(17);
        if !body.iter().all(u8::is_ascii_digit)
            || !last.iter().all(|b| b.is_ascii_digit() || *b == b'X')
        {
            return Err(IdProblem::new(
                "invalid_character",
                format!(
                    "resident ID {masked} must be 17 digits followed by a digit or X (GB 11643)"
                ),
            ));
        }
        let birth_date = number
            .get(6..14)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y%m%d").ok())
            .filter(|d| d.year() >= 1900)
            .ok_or_else(|| {
                IdProblem::new(
                    "invalid_birth_date",
                    format!(
                        "resident ID {masked}: characters 7 to 14 are not a birth date (YYYYMMDD)"
                    ),
                )
            })?;
        let expected = check_character(body);
        let given = last.first().map(|b| char::from(*b));
        if expected != given {
            return Err(IdProblem::new(
                "check_digit_mismatch",
                format!(
                    "resident ID {masked}: the check character does not match the first 17 \
                     digits (GB 11643 MOD 11-2); the number was probably mistyped"
                ),
            ));
        }
        Ok(ResidentId { number, birth_date })
    }

    /// Like [`ResidentId::parse`], and the birth date must not be after `date` (the as-of
    /// date of a report: nobody in a registry is born after it).
    pub fn parse_on(text: &str, date: NaiveDate) -> std::result::Result<ResidentId, IdProblem> {
        let id = ResidentId::parse(text)?;
        if id.birth_date > date {
            return Err(IdProblem::new(
                "birth_after_date",
                format!(
                    "resident ID {}: its birth date is after {date}",
                    mask(&id.number)
                ),
            ));
        }
        Ok(id)
    }

    /// The full, normalised number (for matching; never print it).
    pub fn as_str(&self) -> &str {
        &self.number
    }

    /// The masked form, e.g. `1304************34`.
    pub fn masked(&self) -> String {
        mask(&self.number)
    }

    /// The region code of first registration (characters 1–6).
    pub fn region(&self) -> &str {
        self.number.get(..6).unwrap_or_default()
    }

    /// The birth date (characters 7–14).
    pub fn birth_date(&self) -> NaiveDate {
        self.birth_date
    }

    /// Whether the sequence code is odd (male, GB 11643).
    pub fn is_male(&self) -> bool {
        self.number
            .as_bytes()
            .get(16)
            .is_some_and(|b| (b - b'0') % 2 == 1)
    }

    /// Completed years of age on `date` (0 before the first birthday).
    pub fn age_on(&self, date: NaiveDate) -> u32 {
        age_on(self.birth_date, date)
    }
}

impl fmt::Debug for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResidentId({})", self.masked())
    }
}

impl fmt::Display for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

/// The GB 11643 check character of 17 ASCII digits (`None` if `body` is not 17 digits).
pub fn check_character(body: &[u8]) -> Option<char> {
    if body.len() != 17 || !body.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = body
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    CHECK.get((sum % 11) as usize).copied()
}

/// Validate `text` as a resident ID, as an [`Error`] naming `field` on failure.
pub fn validate(field: &str, text: &str) -> Result<ResidentId> {
    ResidentId::parse(text).map_err(|p| p.into_error(field))
}

/// Completed years of age on `date` of someone born on `birth`.
pub fn age_on(birth: NaiveDate, date: NaiveDate) -> u32 {
    if date < birth {
        return 0;
    }
    let mut years = date.year() - birth.year();
    if (date.month(), date.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    u32::try_from(years).unwrap_or(0)
}

/// Mask an identity number for display: the first four and the last two characters, the
/// rest as `*` (`1304************34`). Texts shorter than 8 characters are masked whole.
pub fn mask(text: &str) -> String {
    let chars: Vec<char> = text.trim().chars().collect();
    let n = chars.len();
    if n < 8 {
        return "*".repeat(n);
    }
    let mut out = String::with_capacity(n + 8);
    out.extend(chars.iter().take(4));
    out.extend(std::iter::repeat_n('*', n - 6));
    out.extend(chars.iter().skip(n - 2));
    out
}

/// Mask a person's name for display: the first character, the rest as `*` (`张**`). A
/// one-character name is masked whole.
pub fn mask_name(name: &str) -> String {
    let name = name.trim();
    let n = name.chars().count();
    match name.chars().next() {
        Some(first) if n > 1 => {
            let mut out = String::new();
            out.push(first);
            out.extend(std::iter::repeat_n('*', n - 1));
            out
        }
        _ => "*".repeat(n),
    }
}

/// Mask every run of 15 or more digits (with an optional trailing `X`) in `text`: a
/// safety net for messages that may quote user input (a serde error echoing a cell), so
/// that no identity number reaches an error, a log or a report unmasked.
pub fn scrub(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        while chars.get(i).is_some_and(char::is_ascii_digit) {
            i += 1;
        }
        if i > start {
            if chars.get(i).is_some_and(|c| *c == 'X' || *c == 'x') {
                i += 1;
            }
            let run: String = chars.get(start..i).unwrap_or_default().iter().collect();
            if run.len() >= 15 {
                out.push_str(&mask(&run));
            } else {
                out.push_str(&run);
            }
        } else {
            if let Some(c) = chars.get(i) {
                out.push(*c);
            }
            i += 1;
        }
    }
    out
}

/// Build a valid number from a region code, a birth date and a sequence (0–999), with its
/// check character: for synthetic data and tests. `None` if `region` is not 6 digits.
pub fn build(region: &str, birth: NaiveDate, sequence: u16) -> Option<String> {
    if !crate::profile::is_region_code(region) || birth.year() < 1000 || birth.year() > 9999 {
        return None;
    }
    let body = format!(
        "{region}{:04}{:02}{:02}{:03}",
        birth.year(),
        birth.month(),
        birth.day(),
        sequence % 1000
    );
    let check = check_character(body.as_bytes())?;
    Some(format!("{body}{check}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_standard_example_validates() {
        // The example number of GB 11643-1999 (appendix): 11010519491231002X.
        let id = ResidentId::parse("11010519491231002x").unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
        assert_eq!(id.birth_date(), d("1949-12-31"));
        assert_eq!(id.region(), "110105");
        assert!(!id.is_male());
        assert_eq!(id.masked(), "1101************2X");
        assert_eq!(format!("{id:?}"), "ResidentId(1101************2X)");
    }

    #[test]
    fn problems_are_named_and_masked() {
        // interface.md's example number fails the check character.
        let p = ResidentId::parse("130431201001011234").unwrap_err();
        assert_eq!(p.code, "check_digit_mismatch");
        assert!(p.message.contains("1304************34"), "{}", p.message);
        assert!(!p.message.contains("130431201001011234"));
        assert_eq!(
            ResidentId::parse("1304312010").unwrap_err().code,
            "wrong_length"
        );
        assert_eq!(
            ResidentId::parse("13043120100101123A").unwrap_err().code,
            "invalid_character"
        );
        assert_eq!(
            ResidentId::parse("130431201002301234").unwrap_err().code,
            "invalid_birth_date"
        );
        let id = build("130431", d("2016-03-05"), 7).unwrap();
        assert!(ResidentId::parse(&id).is_ok());
        assert_eq!(
            ResidentId::parse_on(&id, d("2016-03-04")).unwrap_err().code,
            "birth_after_date"
        );
    }

    #[test]
    fn ages_masks_and_scrubbing() {
        assert_eq!(age_on(d("2010-10-02"), d("2025-10-01")), 14);
        assert_eq!(age_on(d("2010-10-01"), d("2025-10-01")), 15);
        assert_eq!(age_on(d("2026-01-01"), d("2025-10-01")), 0);
        assert_eq!(mask("130431201001011234"), "1304************34");
        assert_eq!(mask("12345"), "*****");
        assert_eq!(mask_name("张三丰"), "张**");
        assert_eq!(mask_name("李"), "*");
        assert_eq!(
            scrub("bad '130431201001011234' and 12345 and 11010519491231002X."),
            "bad '1304************34' and 12345 and 1101************2X."
        );
    }
}

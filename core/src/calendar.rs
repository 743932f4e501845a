//! The school calendar (programs.md, "Calendar").
//!
//! School year Y runs from Y-09-01 to (Y+1)-08-31. Its autumn term (秋季学期) runs from
//! Y-09-01 to (Y+1)-01-31 and is written `Y-autumn`; its spring term (春季学期) runs from
//! (Y+1)-02-01 to (Y+1)-08-31 and is written `(Y+1)-spring`. A rule "from the 2025 spring
//! term" is in force from 2025-02-01; "from the 2024 autumn term" from 2024-09-01.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

/// One of the two terms (学期) of a school year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Season {
    /// 秋季学期, September to January.
    Autumn,
    /// 春季学期, February to August.
    Spring,
}

/// A term, identified by the calendar year it starts in and its season.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Term {
    /// The calendar year of the term's first day.
    pub year: i32,
    /// Autumn or spring.
    pub season: Season,
}

impl Term {
    /// The term that contains `date`.
    pub fn containing(date: NaiveDate) -> Term {
        match date.month() {
            9..=12 => Term {
                year: date.year(),
                season: Season::Autumn,
            },
            1 => Term {
                year: date.year() - 1,
                season: Season::Autumn,
            },
            _ => Term {
                year: date.year(),
                season: Season::Spring,
            },
        }
    }

    /// The first day of the term (Y-09-01 or Y-02-01).
    pub fn first_day(self) -> NaiveDate {
        let month = match self.season {
            Season::Autumn => 9,
            Season::Spring => 2,
        };
        NaiveDate::from_ymd_opt(self.year, month, 1).unwrap_or(NaiveDate::MIN)
    }

    /// The last day of the term ((Y+1)-01-31 or Y-08-31).
    pub fn last_day(self) -> NaiveDate {
        match self.season {
            Season::Autumn => NaiveDate::from_ymd_opt(self.year + 1, 1, 31),
            Season::Spring => NaiveDate::from_ymd_opt(self.year, 8, 31),
        }
        .unwrap_or(NaiveDate::MAX)
    }

    /// The school year the term belongs to.
    pub fn school_year(self) -> SchoolYear {
        match self.season {
            Season::Autumn => SchoolYear(self.year),
            Season::Spring => SchoolYear(self.year - 1),
        }
    }

    /// The next term.
    pub fn next(self) -> Term {
        match self.season {
            Season::Autumn => Term {
                year: self.year + 1,
                season: Season::Spring,
            },
            Season::Spring => Term {
                year: self.year,
                season: Season::Autumn,
            },
        }
    }

    /// Parse `2024-autumn` or `2025-spring`.
    pub fn parse(s: &str) -> Option<Term> {
        let (y, season) = s.split_once('-')?;
        let year: i32 = y.parse().ok()?;
        let season = match season {
            "autumn" => Season::Autumn,
            "spring" => Season::Spring,
            _ => return None,
        };
        Some(Term { year, season })
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let season = match self.season {
            Season::Autumn => "autumn",
            Season::Spring => "spring",
        };
        write!(f, "{}-{}", self.year, season)
    }
}

impl Serialize for Term {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Term {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Term, D::Error> {
        let s = String::deserialize(d)?;
        Term::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "'{s}' is not a term such as 2024-autumn or 2025-spring"
            ))
        })
    }
}

/// A school year (学年), named by the calendar year it starts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SchoolYear(pub i32);

impl SchoolYear {
    /// The school year that contains `date`.
    pub fn containing(date: NaiveDate) -> SchoolYear {
        if date.month() >= 9 {
            SchoolYear(date.year())
        } else {
            SchoolYear(date.year() - 1)
        }
    }

    /// Its autumn term, then its spring term.
    pub fn terms(self) -> [Term; 2] {
        [
            Term {
                year: self.0,
                season: Season::Autumn,
            },
            Term {
                year: self.0 + 1,
                season: Season::Spring,
            },
        ]
    }

    /// Its first day, Y-09-01.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0, 9, 1).unwrap_or(NaiveDate::MIN)
    }
}

/// Parse an ISO `YYYY-MM-DD` date (exactly four, two and two digits; surrounding spaces
/// ignored), naming `field` in the error.
pub fn parse_date(field: &str, text: &str) -> crate::Result<NaiveDate> {
    iso_date(text.trim())
        .ok_or_else(|| crate::Error::invalid(field, "invalid_date", not_a_date(text)))
}

/// `text` as a date when it is exactly `YYYY-MM-DD` (no surrounding space) and a real day.
/// chrono alone also accepts `2024-1-1` and `+2024-10-01`; this reads the
/// digits itself, which is also what lets a columnar reader check millions of cells cheaply.
///
/// A year after 9999 cannot be written in four digits: such a date is read in ISO 8601's
/// expanded form (`+10001-05-20`), exactly as chrono writes it, so that every date the
/// library writes (a school-age limit computed from a far birth date, say) reads back. A
/// sign on a year of 0000–9999 (`+2024-10-01`) and years before 0000 are still refused:
/// no input can hold them, so no output does.
pub fn iso_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.first() == Some(&b'+') {
        return NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .filter(|d| d.year() > 9999 && d.to_string() == text);
    }
    let (year, month, day) = year_month_day(text)?;
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// The year, month and day of a text of exactly four ASCII digits, a dash, two digits, a
/// dash and two digits; whether they make a day is for the caller to check.
fn year_month_day(text: &str) -> Option<(u32, u32, u32)> {
    let bytes = <&[u8; 10]>::try_from(text.as_bytes()).ok()?;
    let [y0, y1, y2, y3, dash1, m0, m1, dash2, d0, d1] = *bytes;
    if dash1 != b'-' || dash2 != b'-' {
        return None;
    }
    let digit = |c: u8| {
        let d = c.wrapping_sub(b'0');
        (d <= 9).then_some(u32::from(d))
    };
    Some((
        digit(y0)? * 1000 + digit(y1)? * 100 + digit(y2)? * 10 + digit(y3)?,
        digit(m0)? * 10 + digit(m1)?,
        digit(d0)? * 10 + digit(d1)?,
    ))
}

/// Whether [`iso_date`] reads `text` as a date, decided without building the date: the
/// check a roster makes of every birth date cell (millions of them).
pub fn is_iso_date(text: &str) -> bool {
    let Some((year, month, day)) = year_month_day(text) else {
        // The expanded form of years after 9999 (`+10001-05-20`) is rare: the full reader.
        return text.starts_with('+') && iso_date(text).is_some();
    };
    // The proleptic Gregorian calendar, as chrono's (year 0000 is a leap year). The month's
    // length comes from a table: a `match` on the month would be mispredicted on real
    // birth dates (while the checks of the digits, true of nearly every cell, are predicted).
    let Some(days) = DAYS_IN_MONTH.get(month as usize) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = u32::from(*days) + u32::from(month == 2 && leap);
    day >= 1 && day <= days
}

/// Days of each month in a common year, by month number (0: no month).
const DAYS_IN_MONTH: [u8; 13] = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/// The message of a date that is not `YYYY-MM-DD` (the CSV and JSON readers share it).
fn not_a_date(text: &str) -> String {
    format!(
        "'{}' is not a date in the form YYYY-MM-DD",
        crate::json::echo(text)
    )
}

/// Serde readers of dates in the one form [`iso_date`] accepts, for every date read from
/// JSON (profiles, students, case events and stored cases, requests, policy files):
/// `#[serde(deserialize_with = "crate::calendar::de::date")]` (or `option_date`, `dates`).
///
/// chrono's own `Deserialize` also takes `2024-1-1`, `+2024-10-01` and ` 2024-10-01`, which
/// the CSV and Arrow readers refuse; with these, a date reads the same on every input and
/// every surface, and a bad one is reported as a CSV cell is (`'2024-1-1' is not a date in
/// the form YYYY-MM-DD`, code `invalid_date`). Output is unchanged (chrono writes ISO).
pub mod de {
    use chrono::NaiveDate;
    use serde::de::{Deserializer, Error, SeqAccess, Visitor};
    use std::fmt;

    /// Visits a string that must be an ISO date.
    struct DateVisitor;

    impl Visitor<'_> for DateVisitor {
        type Value = NaiveDate;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a date in the form YYYY-MM-DD")
        }
        fn visit_str<E: Error>(self, text: &str) -> Result<NaiveDate, E> {
            super::iso_date(text).ok_or_else(|| E::custom(super::not_a_date(text)))
        }
    }

    /// A date, exactly `YYYY-MM-DD`.
    pub fn date<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        d.deserialize_str(DateVisitor)
    }

    /// Visits an optional date (null is none).
    struct OptionVisitor;

    impl<'de> Visitor<'de> for OptionVisitor {
        type Value = Option<NaiveDate>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a date in the form YYYY-MM-DD, or null")
        }
        fn visit_none<E: Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            date(d).map(Some)
        }
    }

    /// An optional date: null (or, with `#[serde(default)]`, absent) is none. A field using
    /// it needs `#[serde(default)]` to be optional.
    pub fn option_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        d.deserialize_option(OptionVisitor)
    }

    /// Visits a list of dates.
    struct ListVisitor;

    impl<'de> Visitor<'de> for ListVisitor {
        type Value = Vec<NaiveDate>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list of dates in the form YYYY-MM-DD")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            /// One element of the list, read strictly.
            struct Strict(NaiveDate);
            impl<'de> serde::Deserialize<'de> for Strict {
                fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    date(d).map(Strict)
                }
            }
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
            while let Some(Strict(d)) = seq.next_element()? {
                out.push(d);
            }
            Ok(out)
        }
    }

    /// A list of dates, each exactly `YYYY-MM-DD`.
    pub fn dates<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<NaiveDate>, D::Error> {
        d.deserialize_seq(ListVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quick_date_check_agrees_with_the_reader() {
        // Every day of a range that crosses leap and century years, and the days just
        // outside each month.
        for year in [0, 4, 100, 1900, 1999, 2000, 2023, 2024, 2100, 2400, 9999] {
            for month in 0..=13 {
                for day in 0..=32 {
                    let text = format!("{year:04}-{month:02}-{day:02}");
                    assert_eq!(is_iso_date(&text), iso_date(&text).is_some(), "{text}");
                }
            }
        }
        for text in [
            "",
            "2024-1-01",
            "2024/01/01",
            "2024-01-01 ",
            " 2024-01-01",
            "２０２４-01-01",
            "+10001-05-20",
            "+2024-10-01",
            "-0001-01-01",
            "2024-0a-01",
            "20240101xx",
        ] {
            assert_eq!(is_iso_date(text), iso_date(text).is_some(), "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_quick_date_check_agrees_on_any_text(text in "[-+0-9]{0,12}") {
            proptest::prop_assert_eq!(is_iso_date(&text), iso_date(&text).is_some());
        }
    }

    #[test]
    fn json_dates_are_read_as_strictly_as_csv_cells() {
        #[derive(serde::Deserialize, Debug)]
        struct Dates {
            #[serde(deserialize_with = "de::date")]
            on: NaiveDate,
            #[serde(default, deserialize_with = "de::option_date")]
            maybe: Option<NaiveDate>,
            #[serde(default, deserialize_with = "de::dates")]
            list: Vec<NaiveDate>,
        }
        let ok: Dates =
            serde_json::from_str(r#"{"on":"2024-02-29","maybe":null,"list":["2024-03-01"]}"#)
                .unwrap();
        assert_eq!(ok.on, d("2024-02-29"));
        assert_eq!(ok.maybe, None);
        assert_eq!(ok.list, vec![d("2024-03-01")]);
        let absent: Dates = serde_json::from_str(r#"{"on":"2024-02-29"}"#).unwrap();
        assert_eq!((absent.maybe, absent.list.len()), (None, 0));
        let some: Dates =
            serde_json::from_str(r#"{"on":"2024-02-29","maybe":"2025-01-02"}"#).unwrap();
        assert_eq!(some.maybe, Some(d("2025-01-02")));
        for bad in [
            r#"{"on":"2024-2-29"}"#,
            r#"{"on":"2024-02-29","maybe":"+2025-01-02"}"#,
            r#"{"on":"2024-02-29","list":["2024-03-01"," 2024-03-02"]}"#,
            r#"{"on":"2023-02-29"}"#,
        ] {
            let e = serde_json::from_str::<Dates>(bad).unwrap_err().to_string();
            assert!(
                e.contains("is not a date in the form YYYY-MM-DD"),
                "{bad}: {e}"
            );
        }
        let e = serde_json::from_str::<Dates>(r#"{"on":20240229}"#).unwrap_err();
        assert!(
            e.to_string()
                .contains("expected a date in the form YYYY-MM-DD"),
            "{e}"
        );
    }

    #[test]
    fn iso_dates_are_exactly_four_two_two_digits_of_a_real_day() {
        assert_eq!(iso_date("2024-02-29"), Some(d("2024-02-29")));
        // Years beyond four digits read in the expanded form chrono writes (round trip).
        let far = NaiveDate::from_ymd_opt(10001, 5, 20).unwrap();
        assert_eq!(iso_date(&far.to_string()), Some(far));
        for bad in [
            "+10001-5-20",
            "10001-05-20",
            "+10001-05-20 ",
            "+2024-10-01",
            "+0001-01-01",
            "-2024-10-01",
            "-0001-12-31",
        ] {
            assert_eq!(iso_date(bad), None, "{bad}");
        }
        for bad in [
            "2023-02-29",
            "2024-1-1",
            "+2024-10-01",
            " 2024-10-01",
            "2024/10/01",
            "2024-13-01",
            "",
        ] {
            assert_eq!(iso_date(bad), None, "{bad}");
        }
        // parse_date trims; chrono's own reading agrees on every well-formed text.
        assert_eq!(parse_date("d", " 2024-10-01 ").ok(), Some(d("2024-10-01")));
        for text in ["0000-01-01", "9999-12-31", "2000-02-29", "1900-02-29"] {
            assert_eq!(
                iso_date(text),
                NaiveDate::parse_from_str(text, "%Y-%m-%d").ok(),
                "{text}"
            );
        }
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn terms_of_dates() {
        assert_eq!(Term::containing(d("2024-10-01")).to_string(), "2024-autumn");
        assert_eq!(Term::containing(d("2025-01-31")).to_string(), "2024-autumn");
        assert_eq!(Term::containing(d("2025-02-01")).to_string(), "2025-spring");
        assert_eq!(Term::containing(d("2025-08-31")).to_string(), "2025-spring");
        assert_eq!(SchoolYear::containing(d("2025-08-31")), SchoolYear(2024));
        let [a, s] = SchoolYear(2024).terms();
        assert_eq!(
            (a.first_day(), s.first_day()),
            (d("2024-09-01"), d("2025-02-01"))
        );
        assert_eq!(a.last_day(), d("2025-01-31"));
        assert_eq!(Term::parse("2025-spring"), Some(s));
    }
}

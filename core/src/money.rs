//! Money: exact decimal yuan (元), never a float.
//!
//! In JSON and JavaScript money is a string with exactly two decimals (`"1250.00"`),
//! in Rust a [`rust_decimal::Decimal`] (interface.md). [`Money`] is that string form.
//! Rounding, where a division happens (half a yearly standard per term, a third of a
//! compensation per year), is stated at the place of the division.

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// An amount of yuan, kept exact, shown with two decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(pub Decimal);

impl Money {
    /// Zero yuan.
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// Money from whole yuan.
    pub fn yuan(amount: i64) -> Money {
        Money(Decimal::from(amount))
    }

    /// The amount as integer fen (分, 1/100 yuan), rounding half away from zero below the
    /// fen. Money in this library never has more than two decimals, so this is exact.
    pub fn to_fen(self) -> i64 {
        let scaled = (self.0 * Decimal::ONE_HUNDRED)
            .round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        i64::try_from(scaled).unwrap_or(if scaled.is_sign_negative() {
            i64::MIN
        } else {
            i64::MAX
        })
    }

    /// Money from integer fen.
    pub fn from_fen(fen: i64) -> Money {
        Money(Decimal::new(fen, 2))
    }

    /// The decimal value.
    pub fn decimal(self) -> Decimal {
        self.0
    }

    /// Half of the amount, rounded to the fen, half away from zero (a per-term instalment of
    /// a yearly standard; every national standard is a whole number of yuan, so exact).
    pub fn half(self) -> Money {
        Money(
            (self.0 / Decimal::TWO)
                .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero),
        )
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(fen) = self.exact_fen() {
            return write_fen(f, fen);
        }
        let mut d = self
            .0
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        d.rescale(2);
        write!(f, "{d}")
    }
}

impl Money {
    /// The amount as integer fen when that is exact and simple to show (at most two
    /// decimals, within `i64`, not a negative zero): every amount this library computes.
    /// The others are shown through the decimal's own formatting.
    fn exact_fen(self) -> Option<i64> {
        let scale = self.0.scale();
        if scale > 2 || (self.0.is_zero() && self.0.is_sign_negative()) {
            return None;
        }
        let factor: i128 = if scale == 2 {
            1
        } else if scale == 1 {
            10
        } else {
            100
        };
        i64::try_from(self.0.mantissa().checked_mul(factor)?).ok()
    }
}

/// Write `fen` as yuan with two decimals (`-1250.05`), as the decimal formatting does.
fn write_fen(f: &mut fmt::Formatter<'_>, fen: i64) -> fmt::Result {
    let mut buf = [0u8; 24];
    let mut at = buf.len();
    let mut n = fen.unsigned_abs();
    let mut put = |digit: u8, at: &mut usize| {
        *at -= 1;
        if let Some(slot) = buf.get_mut(*at) {
            *slot = digit;
        }
    };
    put(b'0' + (n % 10) as u8, &mut at);
    n /= 10;
    put(b'0' + (n % 10) as u8, &mut at);
    n /= 10;
    put(b'.', &mut at);
    loop {
        put(b'0' + (n % 10) as u8, &mut at);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if fen < 0 {
        put(b'-', &mut at);
    }
    match buf.get(at..).map(std::str::from_utf8) {
        Some(Ok(text)) => f.write_str(text),
        _ => Err(fmt::Error),
    }
}

impl std::ops::Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl std::ops::AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl std::ops::Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl std::ops::Mul<Decimal> for Money {
    type Output = Money;
    fn mul(self, rhs: Decimal) -> Money {
        Money(self.0 * rhs)
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + b)
    }
}

impl From<Decimal> for Money {
    fn from(d: Decimal) -> Money {
        Money(d)
    }
}

impl std::str::FromStr for Money {
    type Err = String;
    fn from_str(s: &str) -> Result<Money, String> {
        let d: Decimal = s
            .trim()
            .parse()
            .map_err(|_| format!("'{s}' is not a decimal amount of yuan such as \"1250.00\""))?;
        if d.scale() > 2 {
            return Err(format!(
                "'{s}' has more than two decimals; money is kept to the fen"
            ));
        }
        Ok(Money(d))
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Money, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Money;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an amount of yuan as a decimal string such as \"1250.00\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Money, E> {
                v.parse().map_err(E::custom)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Money, E> {
                Ok(Money(Decimal::from(v)))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Money, E> {
                Ok(Money(Decimal::from(v)))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_two_decimals() {
        assert_eq!(Money::yuan(1250).to_string(), "1250.00");
        assert_eq!(Money::from_fen(62_550).to_string(), "625.50");
        assert_eq!(Money::yuan(1250).half().to_string(), "625.00");
    }

    #[test]
    fn fast_display_agrees_with_the_decimal() {
        let slow = |m: Money| {
            let mut d =
                m.0.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
            d.rescale(2);
            d.to_string()
        };
        let mut cases: Vec<Money> = Vec::new();
        for fen in [
            0i64,
            1,
            5,
            9,
            10,
            99,
            100,
            101,
            62_550,
            125_000,
            999_999_999,
            i64::MAX,
        ] {
            cases.push(Money::from_fen(fen));
            cases.push(Money::from_fen(-fen));
            cases.push(Money(Decimal::new(fen / 10, 1)));
            cases.push(Money(Decimal::new(-(fen / 100), 0)));
        }
        cases.push(Money(Decimal::new(-0, 2)));
        cases.push(Money(Decimal::new(12_345, 3)));
        cases.push(Money(Decimal::new(-12_345, 3)));
        cases.push(Money(Decimal::MAX));
        cases.push(Money(Decimal::MIN));
        let mut negative_zero = Decimal::ZERO;
        negative_zero.set_sign_negative(true);
        cases.push(Money(negative_zero));
        for m in cases {
            assert_eq!(m.to_string(), slow(m), "{:?}", m.0);
        }
    }

    #[test]
    fn parses_and_rejects() {
        assert_eq!("1500.00".parse::<Money>(), Ok(Money::yuan(1500)));
        assert!("1.005".parse::<Money>().is_err());
        assert!("abc".parse::<Money>().is_err());
        assert_eq!(Money::yuan(3).to_fen(), 300);
    }
}

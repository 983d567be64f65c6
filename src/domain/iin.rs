//! The IIN (ЖСН / ИИН): the 12-digit individual identification number.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A validated IIN.
///
/// ```
/// use frontdesk::domain::iin::{Iin, IinError};
/// let iin: Iin = "791028302728".parse().unwrap();
/// assert_eq!(iin.birth_date().to_string(), "1979-10-28");
/// assert!(matches!("791028302729".parse::<Iin>(), Err(IinError::CheckDigit { .. })));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Iin(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    Male,
    Female,
}

/// Why a string is not an IIN; each failure says what to check.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum IinError {
    #[error("IIN is empty: type the 12 digits")]
    Empty,
    #[error("IIN has {found} digits, it needs 12")]
    Length { found: usize },
    #[error("IIN may contain digits only: `{found}` at position {position}")]
    NotDigit { position: usize, found: char },
    #[error("IIN digit 7 is {digit}: it must be 1–6 (century and sex)")]
    Century { digit: u8 },
    #[error("IIN digits 1–6 ({yymmdd}) are not a real birth date")]
    BirthDate { yymmdd: String },
    #[error("IIN check digit is {found}, the other digits give {expected}: look for a typo")]
    CheckDigit { expected: u8, found: u8 },
    #[error("IIN digits 1–11 give no valid check digit: this number cannot exist")]
    NoCheckDigit,
}

const FIRST_WEIGHTS: [u32; 11] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const SECOND_WEIGHTS: [u32; 11] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/// The check digit of the first 11 digits, or `None` when both weight passes give 10.
pub fn check_digit(digits: &[u8; 11]) -> Option<u8> {
    let pass = |weights: &[u32; 11]| -> u32 {
        digits
            .iter()
            .zip(weights)
            .map(|(d, w)| u32::from(*d) * w)
            .sum::<u32>()
            % 11
    };
    let first = pass(&FIRST_WEIGHTS);
    let value = if first == 10 {
        pass(&SECOND_WEIGHTS)
    } else {
        first
    };
    (value != 10).then_some(value as u8)
}

impl Iin {
    /// Validates `text` (surrounding spaces are ignored).
    pub fn parse(text: &str) -> Result<Iin, IinError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(IinError::Empty);
        }
        if let Some((i, c)) = text.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
            return Err(IinError::NotDigit {
                position: i + 1,
                found: c,
            });
        }
        if text.len() != 12 {
            return Err(IinError::Length { found: text.len() });
        }
        let digits: Vec<u8> = text.bytes().map(|b| b - b'0').collect();
        let century = match digits[6] {
            1 | 2 => 1800,
            3 | 4 => 1900,
            5 | 6 => 2000,
            digit => return Err(IinError::Century { digit }),
        };
        let number = |range: std::ops::Range<usize>| {
            digits[range]
                .iter()
                .fold(0u32, |acc, d| acc * 10 + u32::from(*d))
        };
        let year = century + number(0..2) as i32;
        if NaiveDate::from_ymd_opt(year, number(2..4), number(4..6)).is_none() {
            return Err(IinError::BirthDate {
                yymmdd: text[..6].to_string(),
            });
        }
        let mut first_eleven = [0u8; 11];
        first_eleven.copy_from_slice(&digits[..11]);
        let expected = check_digit(&first_eleven).ok_or(IinError::NoCheckDigit)?;
        if expected != digits[11] {
            return Err(IinError::CheckDigit {
                expected,
                found: digits[11],
            });
        }
        Ok(Iin(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn digit(&self, i: usize) -> u32 {
        u32::from(self.0.as_bytes()[i] - b'0')
    }

    pub fn birth_date(&self) -> NaiveDate {
        let century = match self.digit(6) {
            1 | 2 => 1800,
            3 | 4 => 1900,
            _ => 2000,
        };
        let year = century + (self.digit(0) * 10 + self.digit(1)) as i32;
        // Validated at construction.
        NaiveDate::from_ymd_opt(
            year,
            self.digit(2) * 10 + self.digit(3),
            self.digit(4) * 10 + self.digit(5),
        )
        .unwrap_or_default()
    }

    pub fn sex(&self) -> Sex {
        if self.digit(6) % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }
}

impl std::str::FromStr for Iin {
    type Err = IinError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Iin::parse(s)
    }
}

impl TryFrom<String> for Iin {
    type Error = IinError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Iin::parse(&s)
    }
}

impl From<Iin> for String {
    fn from(iin: Iin) -> String {
        iin.0
    }
}

impl fmt::Display for Iin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn public_examples_are_valid() {
        let iin = Iin::parse("791028302728").unwrap();
        assert_eq!(iin.sex(), Sex::Male);
        let iin = Iin::parse(" 061211600012 ").unwrap();
        assert_eq!(iin.birth_date().to_string(), "2006-12-11");
        assert_eq!(iin.sex(), Sex::Female);
    }

    #[test]
    fn each_failure_has_its_own_error() {
        assert_eq!(Iin::parse(""), Err(IinError::Empty));
        assert_eq!(
            Iin::parse("79102830272"),
            Err(IinError::Length { found: 11 })
        );
        assert_eq!(
            Iin::parse("7910283O2728"),
            Err(IinError::NotDigit {
                position: 8,
                found: 'O'
            })
        );
        assert_eq!(
            Iin::parse("791028702728"),
            Err(IinError::Century { digit: 7 })
        );
        assert_eq!(
            Iin::parse("791328302728"),
            Err(IinError::BirthDate {
                yymmdd: "791328".into()
            })
        );
        assert_eq!(
            Iin::parse("791028302729"),
            Err(IinError::CheckDigit {
                expected: 8,
                found: 9
            })
        );
        assert!(Iin::parse("ЖСН791028302").is_err());
    }

    #[test]
    fn second_weight_pass_is_used_when_the_first_gives_ten() {
        let mut seen_second_pass = 0;
        for serial in 0..100u8 {
            let mut d = [7, 9, 1, 0, 2, 8, 3, 0, 0, 0, 0];
            d[8] = serial / 10;
            d[9] = serial % 10;
            let weighted = |w: &[u32; 11]| -> u32 {
                d.iter().zip(w).map(|(x, w)| u32::from(*x) * w).sum::<u32>() % 11
            };
            if weighted(&FIRST_WEIGHTS) == 10 {
                seen_second_pass += 1;
                let second = weighted(&SECOND_WEIGHTS);
                assert_eq!(check_digit(&d), (second != 10).then_some(second as u8));
            }
        }
        assert!(seen_second_pass > 0);
    }

    #[test]
    fn every_check_digit_typo_is_caught() {
        for example in ["791028302728", "061211600012"] {
            for bump in 1..10u8 {
                let mut bytes = example.as_bytes().to_vec();
                bytes[11] = b'0' + (bytes[11] - b'0' + bump) % 10;
                let text = String::from_utf8(bytes).unwrap();
                assert!(
                    matches!(Iin::parse(&text), Err(IinError::CheckDigit { .. })),
                    "{text}"
                );
            }
        }
    }

    #[test]
    fn the_second_pass_can_let_a_typo_through() {
        // A known limit of the IIN scheme: changing the first digit of 791028302728 by 2 moves the
        // first pass to 10, and the second pass happens to give the same check digit.
        assert!(Iin::parse("991028302728").is_ok());
    }

    proptest! {
        #[test]
        fn never_panics_on_any_input(text in ".{0,40}") {
            let _ = Iin::parse(&text);
        }

    }
}

//! The applicant's form at intake: every field validated, each error naming its field.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::iin::{Iin, IinError};
use super::regulation::Regulation;

/// Longest full name or settlement accepted, in characters.
pub const MAX_TEXT_CHARS: usize = 200;
/// Longest power-of-attorney reference (number, date, notary), in characters.
pub const MAX_POA_CHARS: usize = 300;

/// The form as typed, before validation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntakeForm {
    pub channel: String,
    pub measures: Vec<String>,
    pub iin: String,
    pub name: String,
    pub phone: String,
    pub sector: String,
    pub settlement: String,
    /// Empty when the applicant applies in person.
    pub representative_name: String,
    pub representative_iin: String,
    /// The notarised power of attorney's reference (number, date, notary).
    pub power_of_attorney: String,
    /// Ids of the documents presented.
    pub documents: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applicant {
    pub iin: Iin,
    pub name: String,
    pub phone: Option<String>,
    pub sector: Option<String>,
    pub settlement: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Representative {
    pub name: String,
    pub iin: Option<Iin>,
    pub power_of_attorney: String,
}

/// A validated package: who applies, for what, with which documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intake {
    pub channel: String,
    pub measures: Vec<String>,
    pub applicant: Applicant,
    pub representative: Option<Representative>,
    pub documents: Vec<String>,
}

/// One invalid field of the form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("{field}: {message}")]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
    /// What is wrong, for screens that say it in their own language.
    pub kind: Problem,
}

/// What is wrong with a field; `message` is its English text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    /// A character free text refuses (see [`super::text::find_unsafe`]): a control, a
    /// direction override, an invisible character, a line separator.
    UnsafeCharacter {
        position: usize,
        code: u32,
        kind: super::text::UnsafeKind,
    },
    TooLong {
        chars: usize,
        max: usize,
    },
    Empty,
    NoLetter,
    PhoneCharacter {
        character: char,
    },
    PhoneDigits {
        digits: usize,
    },
    /// Not a valid IIN, and which check failed.
    Iin(IinError),
    /// A valid IIN whose birth date is still to come: a typo.
    FutureBirthDate {
        born: chrono::NaiveDate,
    },
    NoMeasure,
    /// The intake opened longer ago than the acceptance window and its grace (`minutes` in
    /// all): the person is gone, or back, and the window must start again.
    OpenedTooLongAgo {
        minutes: i64,
    },
    /// The intake opened after now: the counter's clock is ahead.
    OpenedInFuture,
    RepresentativeNameMissing,
    PowerOfAttorneyMissing,
    /// An id not in the regulation, or a value only a hostile client sends: the English
    /// message says which; screens in other languages say the value is not accepted.
    Other,
}

impl FieldProblem {
    pub fn new(field: &str, kind: Problem, message: impl Into<String>) -> FieldProblem {
        FieldProblem {
            field: field.to_string(),
            message: message.into(),
            kind,
        }
    }

    /// A character refused in a free-text field, with its position and kind.
    pub fn unsafe_character(field: &str, found: &super::text::UnsafeChar) -> FieldProblem {
        FieldProblem::new(
            field,
            Problem::UnsafeCharacter {
                position: found.position,
                code: found.code,
                kind: found.kind,
            },
            found.to_string(),
        )
    }
}

fn problem(field: &str, kind: Problem, message: impl Into<String>) -> FieldProblem {
    FieldProblem::new(field, kind, message)
}

/// Trims `text`; rejects control, direction-override and invisible characters (with their
/// position) and over-long text rather than silently altering it.
pub fn clean_text(field: &str, text: &str, max_chars: usize) -> Result<String, FieldProblem> {
    let trimmed = text.trim();
    if let Some(found) = super::text::find_unsafe(trimmed) {
        return Err(FieldProblem::unsafe_character(field, &found));
    }
    let chars = trimmed.chars().count();
    if chars > max_chars {
        return Err(problem(
            field,
            Problem::TooLong {
                chars,
                max: max_chars,
            },
            format!("is {chars} characters long; at most {max_chars} are allowed"),
        ));
    }
    Ok(trimmed.to_string())
}

/// A person's full name: 1–200 characters with at least one letter.
pub fn clean_name(field: &str, text: &str) -> Result<String, FieldProblem> {
    let name = clean_text(field, text, MAX_TEXT_CHARS)?;
    if name.is_empty() {
        return Err(problem(
            field,
            Problem::Empty,
            "is empty: type the full name",
        ));
    }
    if !name.chars().any(char::is_alphabetic) {
        return Err(problem(
            field,
            Problem::NoLetter,
            "has no letter: type the full name",
        ));
    }
    Ok(name)
}

/// A Kazakh phone number as +7XXXXXXXXXX, from "8 701 234 56 78", "+7 (701) 234-56-78", ….
pub fn normalise_phone(text: &str) -> Result<Option<String>, FieldProblem> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    let mut digits = String::new();
    for (i, c) in trimmed.chars().enumerate() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '(' | ')' => {}
            '+' if i == 0 => {}
            other => {
                return Err(problem(
                    "phone",
                    Problem::PhoneCharacter { character: other },
                    format!(
                        "`{other}` is not allowed in a phone number: digits, spaces, + ( ) - only"
                    ),
                ))
            }
        }
    }
    let national = match digits.len() {
        11 if digits.starts_with('7') || digits.starts_with('8') => &digits[1..],
        10 => &digits[..],
        n => {
            return Err(problem(
                "phone",
                Problem::PhoneDigits { digits: n },
                format!("has {n} digits; a Kazakh number has 10 after +7 (e.g. +7 701 234 56 78)"),
            ))
        }
    };
    Ok(Some(format!("+7{national}")))
}

impl IntakeForm {
    /// Validates every field against the regulation; all problems are returned together so the
    /// clerk can fix them in one pass.
    pub fn validate(&self, regulation: &Regulation) -> Result<Intake, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        if let Err(e) = regulation.channel(&self.channel) {
            problems.push(problem("channel", Problem::Other, e.to_string()));
        }
        if self.measures.is_empty() {
            problems.push(problem(
                "measure",
                Problem::NoMeasure,
                "choose at least one support measure",
            ));
        }
        for measure in &self.measures {
            if let Err(e) = regulation.measure(measure) {
                problems.push(problem("measure", Problem::Other, e.to_string()));
            }
        }
        let iin = Iin::parse(&self.iin).map_err(|e: IinError| {
            problems.push(problem("iin", Problem::Iin(e.clone()), e.to_string()))
        });
        let name = clean_name("name", &self.name).map_err(|e| problems.push(e));
        let phone = normalise_phone(&self.phone).map_err(|e| problems.push(e));
        let sector = match self.sector.trim() {
            "" => None,
            id if regulation.sector(id).is_some() => Some(id.to_string()),
            id => {
                problems.push(problem(
                    "sector",
                    Problem::Other,
                    format!("unknown sector `{id}`"),
                ));
                None
            }
        };
        let settlement = clean_text("settlement", &self.settlement, MAX_TEXT_CHARS)
            .map_err(|e| problems.push(e))
            .ok()
            .filter(|s| !s.is_empty());

        let representative = if self.representative_name.trim().is_empty() {
            if !self.power_of_attorney.trim().is_empty()
                || !self.representative_iin.trim().is_empty()
            {
                problems.push(problem(
                    "representative",
                    Problem::RepresentativeNameMissing,
                    "a power of attorney or representative IIN is given without the representative's name",
                ));
            }
            None
        } else {
            let rep_name = clean_name("representative", &self.representative_name)
                .map_err(|e| problems.push(e));
            let rep_iin = match self.representative_iin.trim() {
                "" => Ok(None),
                text => Iin::parse(text).map(Some).map_err(|e| {
                    problems.push(problem(
                        "representative_iin",
                        Problem::Iin(e.clone()),
                        e.to_string(),
                    ))
                }),
            };
            let poa = clean_text("poa", &self.power_of_attorney, MAX_POA_CHARS)
                .map_err(|e| problems.push(e));
            if matches!(&poa, Ok(p) if p.is_empty()) {
                problems.push(problem(
                    "poa",
                    Problem::PowerOfAttorneyMissing,
                    "a representative needs the notarised power of attorney: type its number and date",
                ));
            }
            match (rep_name, rep_iin, poa) {
                (Ok(name), Ok(iin), Ok(power_of_attorney)) => Some(Representative {
                    name,
                    iin,
                    power_of_attorney,
                }),
                _ => None,
            }
        };

        let mut documents = Vec::new();
        for doc in &self.documents {
            if regulation.document(doc).is_none() {
                problems.push(problem(
                    "docs",
                    Problem::Other,
                    format!("unknown document `{doc}`"),
                ));
            } else if !documents.contains(doc) {
                documents.push(doc.clone());
            }
        }

        match (iin, name, phone) {
            (Ok(iin), Ok(name), Ok(phone)) if problems.is_empty() => Ok(Intake {
                channel: self.channel.clone(),
                measures: self.measures.clone(),
                applicant: Applicant {
                    iin,
                    name,
                    phone,
                    sector,
                    settlement,
                },
                representative,
                documents,
            }),
            _ => Err(problems),
        }
    }
}

impl Intake {
    /// Required documents that were not presented, in checklist order.
    pub fn missing_documents(&self, regulation: &Regulation) -> Vec<String> {
        regulation
            .required_documents(&self.measures, self.representative.is_some())
            .unwrap_or_default()
            .into_iter()
            .filter(|doc| !self.documents.contains(doc))
            .collect()
    }
}

/// An intake form not yet submitted, with when it was opened (the acceptance window's start).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub form: IntakeForm,
    pub opened_at: DateTime<Utc>,
    pub ticket: Option<String>,
    /// When the ticket's holder arrived: with the number, the ticket's identity. Numbers start
    /// again at A001 after a restart or at midnight; the arrival instant never repeats, so a
    /// form is never matched to the next person who gets the same number. `None` for a form
    /// kept before drafts carried it (it then matches no ticket at all).
    #[serde(default)]
    pub arrived_at: Option<DateTime<Utc>>,
}

/// The most unsubmitted intakes one clerk keeps at once: the form on screen and those put
/// aside when the next person was called. A counter with more has lost track of who is whom.
/// Forms whose acceptance window and grace have passed ([`Draft::is_stale`]) do not count:
/// those people left, and their forms must not stop the clerk from calling the next one.
pub const MAX_DRAFTS_PER_CLERK: usize = 8;

/// The most drafts kept for one clerk, stale ones included: a bound on storage only, far above
/// what a day at one counter leaves (stale forms are given up or resumed by the clerk).
pub const MAX_KEPT_DRAFTS: usize = 64;

impl Draft {
    /// The draft's place among its clerk's drafts (see [`draft_slot`]). Saving a draft
    /// replaces the one in the same slot.
    pub fn slot(&self) -> String {
        draft_slot(self.ticket.as_deref(), self.arrived_at)
    }

    /// Whether the draft's acceptance window of `window_minutes` and the grace after it
    /// (`grace_minutes`) have passed at `now`: the core would refuse its `opened_at`.
    pub fn is_stale(&self, now: DateTime<Utc>, window_minutes: i64, grace_minutes: i64) -> bool {
        window_is_stale(self.opened_at, now, window_minutes, grace_minutes)
    }
}

/// Whether a window opened at `opened_at` and its grace have passed at `now`.
pub fn window_is_stale(
    opened_at: DateTime<Utc>,
    now: DateTime<Utc>,
    window_minutes: i64,
    grace_minutes: i64,
) -> bool {
    opened_at < now - chrono::Duration::minutes(window_minutes + grace_minutes)
}

/// The slot of a form: `""` for the one form without a ticket; the number and the arrival
/// instant of its ticket (`A001@2026-05-25T04:30:00.000000000Z`), which a reused number never
/// matches; the number alone for a form kept before arrivals were recorded with it.
pub fn draft_slot(ticket: Option<&str>, arrived_at: Option<DateTime<Utc>>) -> String {
    match (ticket, arrived_at) {
        (None, _) => String::new(),
        (Some(number), None) => number.to_string(),
        (Some(number), Some(at)) => format!(
            "{number}@{}",
            at.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true)
        ),
    }
}

/// A clerk's drafts in the order every engine gives them: oldest opened first.
pub fn sort_drafts(drafts: &mut [Draft]) {
    drafts.sort_by_cached_key(|d| (d.opened_at, d.slot()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> IntakeForm {
        IntakeForm {
            channel: "provider".into(),
            measures: vec!["lifting-allowance".into()],
            iin: "791028302728".into(),
            name: "  Әсел Нұрланқызы Серікбаева ".into(),
            phone: "8 (701) 234-56-78".into(),
            sector: "education".into(),
            settlement: "Үшарал".into(),
            documents: vec!["application".into()],
            ..IntakeForm::default()
        }
    }

    #[test]
    fn a_good_form_is_trimmed_and_normalised() {
        let regulation = Regulation::default_embedded();
        let intake = form().validate(&regulation).unwrap();
        assert_eq!(intake.applicant.name, "Әсел Нұрланқызы Серікбаева");
        assert_eq!(intake.applicant.phone.as_deref(), Some("+77012345678"));
        assert_eq!(intake.missing_documents(&regulation).len(), 5);
    }

    #[test]
    fn every_bad_field_is_named() {
        let regulation = Regulation::default_embedded();
        let bad = IntakeForm {
            channel: "post-office".into(),
            measures: vec!["free-car".into()],
            iin: "791028302729".into(),
            name: "x".repeat(5000),
            phone: "call me".into(),
            sector: "mining".into(),
            settlement: "a\u{7}b".into(),
            representative_name: "Ерлан".into(),
            documents: vec!["passport-photo".into()],
            ..IntakeForm::default()
        };
        let problems = bad.validate(&regulation).unwrap_err();
        let fields: Vec<_> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "channel",
                "measure",
                "iin",
                "name",
                "phone",
                "sector",
                "settlement",
                "poa",
                "docs"
            ]
        );
        assert!(problems[3].message.contains("5000 characters"));
    }

    #[test]
    fn combining_characters_and_kazakh_letters_are_kept() {
        let name = clean_name("name", "Ғалым Ә\u{301}біл").unwrap();
        assert_eq!(name, "Ғалым Ә\u{301}біл");
    }

    #[test]
    fn phone_forms() {
        assert_eq!(
            normalise_phone("+7 701 234 56 78").unwrap().unwrap(),
            "+77012345678"
        );
        assert_eq!(
            normalise_phone("7012345678").unwrap().unwrap(),
            "+77012345678"
        );
        assert_eq!(normalise_phone("").unwrap(), None);
        assert!(normalise_phone("+7 701").is_err());
        assert!(normalise_phone("70123+45678").is_err());
    }
}

//! Public holidays, the days off they move, and decreed transfers, precomputed per day, each
//! with the legal act behind it.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::ops::RangeInclusive;
use std::sync::Arc;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// First and last year the calendar knows holidays for. Deadlines are counted only inside these
/// years, so every instant the program prints has four digits and reads back.
pub const FIRST_YEAR: i32 = 1990;
pub const LAST_YEAR: i32 = 2100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HolidayKind {
    /// National holidays (Republic Day, Independence Day): moved off weekends.
    National,
    /// State holidays (New Year, 8 March, Nauryz, 1/7/9 May, 6 July, Constitution Day): moved
    /// off weekends.
    State,
    /// Religious holidays (7 January, Kurban Ait): never moved.
    Religious,
}

impl HolidayKind {
    fn moves_off_weekend(self) -> bool {
        !matches!(self, HolidayKind::Religious)
    }
}

/// The legal act behind a holiday, a rule or a transfer, as it is cited: what it is, its date
/// and number (when known), the article, and what it says here when the act alone does not.
///
/// ```
/// use frontdesk::calendar::LegalSource;
/// let law = LegalSource {
///     act: "Law \"On holidays in the Republic of Kazakhstan\"".into(),
///     date: "2001-12-13".parse().ok(),
///     number: Some("267".into()),
///     article: Some("5".into()),
///     note: None,
/// };
/// assert_eq!(
///     law.to_string(),
///     "Law \"On holidays in the Republic of Kazakhstan\" of 13 December 2001 No. 267, Art. 5"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LegalSource {
    pub act: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl fmt::Display for LegalSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.act)?;
        if let Some(date) = self.date {
            write!(f, " of {}", date.format("%-d %B %Y"))?;
        }
        if let Some(number) = &self.number {
            write!(f, " No. {number}")?;
        }
        if let Some(article) = &self.article {
            write!(f, ", Art. {article}")?;
        }
        if let Some(note) = &self.note {
            write!(f, " ({note})")?;
        }
        Ok(())
    }
}

/// A holiday's name in each interface language. Older files give one English string
/// (`name = "New Year"`), which still loads; a table gives each language, as the regulation does
/// (`name = { kk = "Жаңа жыл", ru = "Новый год", en = "New Year" }`). A language left out is
/// reported by `calendar check`; its screens say "holiday or day off" instead.
///
/// ```
/// use frontdesk::calendar::HolidayName;
/// let old: HolidayName = toml::from_str::<toml::Table>("name = 'New Year'").unwrap()["name"]
///     .clone()
///     .try_into()
///     .unwrap();
/// assert_eq!((old.english(), old.kk.as_deref()), ("New Year", None));
/// assert_eq!(old.missing(), ["kk", "ru"]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HolidayName {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kk: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ru: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

impl HolidayName {
    /// Every language with its name, if given, in the order the file lists them.
    pub fn each(&self) -> [(&'static str, Option<&str>); 3] {
        [
            ("kk", self.kk.as_deref()),
            ("ru", self.ru.as_deref()),
            ("en", self.en.as_deref()),
        ]
    }

    /// The English name, else the first one given: for the command line and its JSON.
    pub fn english(&self) -> &str {
        self.en
            .as_deref()
            .or(self.ru.as_deref())
            .or(self.kk.as_deref())
            .unwrap_or_default()
    }

    /// The languages (`kk`, `ru`, `en`) the file gives no name in.
    pub fn missing(&self) -> Vec<&'static str> {
        self.each()
            .into_iter()
            .filter(|(_, name)| name.is_none())
            .map(|(lang, _)| lang)
            .collect()
    }
}

impl<'de> Deserialize<'de> for HolidayName {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NameVisitor;
        impl<'de> serde::de::Visitor<'de> for NameVisitor {
            type Value = HolidayName;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a name: \"…\" (English) or { kk = \"…\", ru = \"…\", en = \"…\" }")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<HolidayName, E> {
                Ok(HolidayName {
                    en: Some(text.to_string()),
                    ..HolidayName::default()
                })
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<HolidayName, A::Error> {
                const LANGUAGES: &[&str] = &["kk", "ru", "en"];
                let mut name = HolidayName::default();
                while let Some(lang) = map.next_key::<String>()? {
                    let slot = match lang.as_str() {
                        "kk" => &mut name.kk,
                        "ru" => &mut name.ru,
                        "en" => &mut name.en,
                        _ => return Err(serde::de::Error::unknown_field(&lang, LANGUAGES)),
                    };
                    if slot.is_some() {
                        return Err(serde::de::Error::custom(format!(
                            "the {lang} name is given twice"
                        )));
                    }
                    *slot = Some(map.next_value()?);
                }
                Ok(name)
            }
        }
        deserializer.deserialize_any(NameVisitor)
    }
}

/// A holiday on the same month and day each year, within optional inclusive year bounds.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecurringHoliday {
    pub name: HolidayName,
    pub kind: HolidayKind,
    /// "MM-DD" strings.
    pub dates: Vec<String>,
    pub from_year: Option<i32>,
    pub until_year: Option<i32>,
    /// The act that makes the day a holiday.
    pub source: LegalSource,
    /// The act that ended it; required with `until_year`.
    pub ended_by: Option<LegalSource>,
}

/// A holiday on one given date (Kurban Ait moves every year).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatedHoliday {
    pub name: HolidayName,
    pub kind: HolidayKind,
    pub date: NaiveDate,
    pub source: LegalSource,
}

/// An act that makes `day_off` a day off and `work_day` a working day.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transfer {
    pub day_off: NaiveDate,
    pub work_day: NaiveDate,
    pub source: LegalSource,
}

/// The rule that gives the next working day off for a holiday on a weekend.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MovedDayOffRule {
    pub source: LegalSource,
}

/// An administrator's confirmation that a year's transfers were checked against the act (or
/// acts) that set them, so a year with no transfer is told apart from a year nobody looked at.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearReview {
    pub year: i32,
    pub transfers_reviewed: LegalSource,
}

/// The calendar file as written by an administrator.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidayData {
    pub moved_day_off: Option<MovedDayOffRule>,
    #[serde(default, rename = "holiday")]
    pub recurring: Vec<RecurringHoliday>,
    #[serde(default)]
    pub dated: Vec<DatedHoliday>,
    #[serde(default, rename = "transfer")]
    pub transfers: Vec<Transfer>,
    #[serde(default, rename = "year")]
    pub years: Vec<YearReview>,
}

/// The calendar file compiled into the binary.
pub const DEFAULT_CALENDAR_TOML: &str = include_str!("../../data/calendar.toml");

/// Why a date is not an ordinary day of the week, and the act that says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayNote {
    Holiday {
        name: Arc<HolidayName>,
        source: Arc<LegalSource>,
    },
    /// The day off given for a national or state holiday that fell on a weekend.
    MovedDayOff {
        holiday: Arc<HolidayName>,
        from: NaiveDate,
        /// The rule's act; `None` only in a file that has no movable holiday to need it.
        source: Option<Arc<LegalSource>>,
    },
    TransferredDayOff {
        work_day: NaiveDate,
        source: Arc<LegalSource>,
    },
    TransferredWorkDay {
        day_off: NaiveDate,
        source: Arc<LegalSource>,
    },
}

impl DayNote {
    /// Whether the note makes the date a day off (otherwise it makes it a working day).
    pub fn is_day_off(&self) -> bool {
        !matches!(self, DayNote::TransferredWorkDay { .. })
    }

    pub fn describe(&self) -> String {
        match self {
            DayNote::Holiday { name, .. } => format!("public holiday: {}", name.english()),
            DayNote::MovedDayOff { holiday, from, .. } => {
                format!(
                    "day off moved from {} ({from}, a weekend)",
                    holiday.english()
                )
            }
            DayNote::TransferredDayOff { work_day, .. } => {
                format!("day off by transfer (worked on {work_day})")
            }
            DayNote::TransferredWorkDay { day_off, .. } => {
                format!("working day by transfer (for {day_off})")
            }
        }
    }

    /// The act behind the day.
    pub fn source(&self) -> Option<&LegalSource> {
        match self {
            DayNote::Holiday { source, .. }
            | DayNote::TransferredDayOff { source, .. }
            | DayNote::TransferredWorkDay { source, .. } => Some(source),
            DayNote::MovedDayOff { source, .. } => source.as_deref(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HolidayDataError {
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

/// What a valid file still lacks for a year that live deadlines reach. Not an error: the data
/// for next year is often published late, and counting goes on with what is known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HolidayDataWarning {
    #[error("{year}: no Kurban Ait date (a [[dated]] religious holiday); add it when it is published, deadlines across it count it as a working day until then")]
    NoKurbanAit { year: i32 },
    #[error("{year}: transfers not confirmed as reviewed; check the year's transfer act and add [[year]] year = {year} with transfers_reviewed = {{ act = …, date = … }}")]
    TransfersNotReviewed { year: i32 },
    #[error("{path}: no name in {}; screens in that language say \"holiday or day off\" instead of the name: write name = {{ kk = \"…\", ru = \"…\", en = \"…\" }}", .languages.join(", "))]
    NameMissing {
        path: String,
        languages: Vec<&'static str>,
    },
}

/// Every special day from [`FIRST_YEAR`] to [`LAST_YEAR`], indexed by day for O(1) lookups:
/// a dashboard recomputes thousands of deadlines a second.
#[derive(Debug, Clone)]
pub struct HolidayCalendar {
    first_day: NaiveDate,
    last_day: NaiveDate,
    /// 0 = ordinary day, otherwise 1 + index into `notes`.
    day_index: Vec<u16>,
    notes: Vec<DayNote>,
    /// Years with a dated religious holiday (Kurban Ait, the only one whose date moves).
    kurban_ait_years: BTreeSet<i32>,
    /// Years whose transfers an administrator confirmed, with the act they were checked against.
    reviewed_years: BTreeMap<i32, LegalSource>,
    /// Holidays whose name is not given in every interface language.
    unnamed: Vec<HolidayDataWarning>,
}

fn parse_month_day(text: &str, year: i32) -> Option<NaiveDate> {
    let (month, day) = text.split_once('-')?;
    NaiveDate::from_ymd_opt(year, month.parse().ok()?, day.parse().ok()?)
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Characters that would let stored text rewrite a terminal or reorder what is shown.
fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

fn supported_year(year: i32) -> bool {
    (FIRST_YEAR..=LAST_YEAR).contains(&year)
}

impl HolidayData {
    /// Checks what serde cannot: "MM-DD" strings, year bounds, dates the calendar can hold,
    /// sources that say something, transfers that contradict. Each error names the field by its
    /// TOML path.
    pub fn validate(&self) -> Vec<HolidayDataError> {
        let mut errors = Vec::new();
        let mut push = |path: String, message: String| {
            errors.push(HolidayDataError::Invalid { path, message })
        };
        let text = |push: &mut dyn FnMut(String, String), path: String, value: &str| {
            if value.trim().is_empty() {
                push(path, "must not be empty".into());
            } else if value.chars().any(is_unsafe_char) {
                push(path, "holds a control, bidi or zero-width character".into());
            }
        };
        let name = |push: &mut dyn FnMut(String, String), path: String, name: &HolidayName| {
            let given: Vec<_> = name
                .each()
                .into_iter()
                .filter_map(|(lang, text)| text.map(|text| (lang, text)))
                .collect();
            if given.is_empty() {
                push(
                    path.clone(),
                    "gives no name: write name = { kk = \"…\", ru = \"…\", en = \"…\" }".into(),
                );
            }
            for (lang, value) in given {
                text(push, format!("{path}.{lang}"), value);
            }
        };
        let source = |push: &mut dyn FnMut(String, String), path: &str, source: &LegalSource| {
            text(push, format!("{path}.act"), &source.act);
            for (field, value) in [
                ("number", &source.number),
                ("article", &source.article),
                ("note", &source.note),
            ] {
                if let Some(value) = value {
                    text(push, format!("{path}.{field}"), value);
                }
            }
        };
        let in_range = |push: &mut dyn FnMut(String, String), path: String, date: NaiveDate| {
            if !supported_year(date.year()) {
                push(
                    path,
                    format!(
                        "{date} is outside the years the calendar holds ({FIRST_YEAR}–{LAST_YEAR})"
                    ),
                );
            }
        };

        if let Some(rule) = &self.moved_day_off {
            source(&mut push, "moved_day_off.source", &rule.source);
        } else if self
            .recurring
            .iter()
            .map(|h| h.kind)
            .chain(self.dated.iter().map(|h| h.kind))
            .any(HolidayKind::moves_off_weekend)
        {
            push(
                "moved_day_off".into(),
                "national and state holidays move off weekends: give the act that moves them, [moved_day_off] source = { act = …, date = … }".into(),
            );
        }
        for (i, holiday) in self.recurring.iter().enumerate() {
            name(&mut push, format!("holiday[{i}].name"), &holiday.name);
            if holiday.dates.is_empty() {
                push(format!("holiday[{i}].dates"), "lists no date".into());
            }
            for (j, text) in holiday.dates.iter().enumerate() {
                // 2000 is a leap year, so 02-29 is accepted.
                if parse_month_day(text, 2000).is_none() {
                    push(
                        format!("holiday[{i}].dates[{j}]"),
                        format!("`{text}` is not a month and day: write MM-DD, e.g. 03-21"),
                    );
                }
            }
            if let (Some(from), Some(until)) = (holiday.from_year, holiday.until_year) {
                if from > until {
                    push(
                        format!("holiday[{i}].until_year"),
                        format!("{until} is before from_year {from}"),
                    );
                }
            }
            source(&mut push, &format!("holiday[{i}].source"), &holiday.source);
            match (&holiday.ended_by, holiday.until_year) {
                (Some(ended_by), Some(_)) => {
                    source(&mut push, &format!("holiday[{i}].ended_by"), ended_by)
                }
                (Some(_), None) => push(
                    format!("holiday[{i}].ended_by"),
                    "is given but until_year is not: say the last year the holiday was kept".into(),
                ),
                (None, Some(until)) => push(
                    format!("holiday[{i}].until_year"),
                    format!("the holiday ends after {until}: give the act that ended it as ended_by = {{ act = …, date = … }}"),
                ),
                (None, None) => {}
            }
        }
        for (i, holiday) in self.dated.iter().enumerate() {
            name(&mut push, format!("dated[{i}].name"), &holiday.name);
            in_range(&mut push, format!("dated[{i}].date"), holiday.date);
            source(&mut push, &format!("dated[{i}].source"), &holiday.source);
        }
        for (i, transfer) in self.transfers.iter().enumerate() {
            if transfer.day_off == transfer.work_day {
                push(
                    format!("transfer[{i}].work_day"),
                    "is the same date as day_off".into(),
                );
            }
            in_range(
                &mut push,
                format!("transfer[{i}].day_off"),
                transfer.day_off,
            );
            in_range(
                &mut push,
                format!("transfer[{i}].work_day"),
                transfer.work_day,
            );
            source(
                &mut push,
                &format!("transfer[{i}].source"),
                &transfer.source,
            );
        }
        let mut seen_years = BTreeSet::new();
        for (i, review) in self.years.iter().enumerate() {
            if !supported_year(review.year) {
                push(
                    format!("year[{i}].year"),
                    format!(
                        "{} is outside the years the calendar holds ({FIRST_YEAR}–{LAST_YEAR})",
                        review.year
                    ),
                );
            } else if !seen_years.insert(review.year) {
                push(
                    format!("year[{i}].year"),
                    format!("{} is reviewed twice", review.year),
                );
            }
            source(
                &mut push,
                &format!("year[{i}].transfers_reviewed"),
                &review.transfers_reviewed,
            );
        }
        errors
    }

    /// Holidays not named in every interface language. Not an error: old files name holidays in
    /// English only, and counting does not depend on names.
    pub fn names_missing(&self) -> Vec<HolidayDataWarning> {
        let recurring = self
            .recurring
            .iter()
            .enumerate()
            .map(|(i, h)| (format!("holiday[{i}].name"), &h.name));
        let dated = self
            .dated
            .iter()
            .enumerate()
            .map(|(i, h)| (format!("dated[{i}].name"), &h.name));
        recurring
            .chain(dated)
            .filter_map(|(path, name)| {
                let languages = name.missing();
                (!languages.is_empty())
                    .then_some(HolidayDataWarning::NameMissing { path, languages })
            })
            .collect()
    }
}

impl HolidayCalendar {
    /// Precomputes the calendar. Call [`HolidayData::validate`] first to report bad entries;
    /// entries that do not parse are skipped here.
    pub fn new(data: &HolidayData) -> Self {
        // Both dates exist: the constants are ordinary years.
        let first_day = NaiveDate::from_ymd_opt(FIRST_YEAR, 1, 1).unwrap_or_default();
        let last_day = NaiveDate::from_ymd_opt(LAST_YEAR, 12, 31).unwrap_or_default();
        let len = (last_day - first_day).num_days() as usize + 1;
        let mut calendar = HolidayCalendar {
            first_day,
            last_day,
            day_index: vec![0; len],
            notes: Vec::new(),
            kurban_ait_years: data
                .dated
                .iter()
                .filter(|h| h.kind == HolidayKind::Religious)
                .map(|h| h.date.year())
                .collect(),
            reviewed_years: data
                .years
                .iter()
                .map(|r| (r.year, r.transfers_reviewed.clone()))
                .collect(),
            unnamed: data.names_missing(),
        };

        // (date, name, kind, source) of every holiday in range.
        type Entry = (NaiveDate, Arc<HolidayName>, HolidayKind, Arc<LegalSource>);
        let mut holidays: Vec<Entry> = Vec::new();
        for holiday in &data.recurring {
            let from = holiday.from_year.unwrap_or(FIRST_YEAR).max(FIRST_YEAR);
            let until = holiday.until_year.unwrap_or(LAST_YEAR).min(LAST_YEAR);
            let source = Arc::new(holiday.source.clone());
            let name = Arc::new(holiday.name.clone());
            for year in from..=until {
                for text in &holiday.dates {
                    if let Some(date) = parse_month_day(text, year) {
                        holidays.push((date, name.clone(), holiday.kind, source.clone()));
                    }
                }
            }
        }
        for holiday in &data.dated {
            holidays.push((
                holiday.date,
                Arc::new(holiday.name.clone()),
                holiday.kind,
                Arc::new(holiday.source.clone()),
            ));
        }
        holidays.sort_by_key(|h| h.0);

        let holiday_dates: BTreeSet<NaiveDate> = holidays.iter().map(|h| h.0).collect();
        for (date, name, _, source) in &holidays {
            calendar.set(
                *date,
                DayNote::Holiday {
                    name: name.clone(),
                    source: source.clone(),
                },
            );
        }

        // Holidays are sorted, so each moved day off takes the first weekday after its holiday
        // that is neither a holiday nor already taken by an earlier one: the cascade.
        let rule = data
            .moved_day_off
            .as_ref()
            .map(|rule| Arc::new(rule.source.clone()));
        let mut taken: BTreeSet<NaiveDate> = BTreeSet::new();
        for (date, name, kind, _) in &holidays {
            if !kind.moves_off_weekend() || !is_weekend(*date) {
                continue;
            }
            let mut candidate = *date + Duration::days(1);
            while is_weekend(candidate)
                || holiday_dates.contains(&candidate)
                || taken.contains(&candidate)
            {
                candidate += Duration::days(1);
            }
            taken.insert(candidate);
            calendar.set(
                candidate,
                DayNote::MovedDayOff {
                    holiday: name.clone(),
                    from: *date,
                    source: rule.clone(),
                },
            );
        }

        for transfer in &data.transfers {
            let source = Arc::new(transfer.source.clone());
            calendar.set(
                transfer.day_off,
                DayNote::TransferredDayOff {
                    work_day: transfer.work_day,
                    source: source.clone(),
                },
            );
            calendar.set(
                transfer.work_day,
                DayNote::TransferredWorkDay {
                    day_off: transfer.day_off,
                    source,
                },
            );
        }
        calendar
    }

    /// The first and last day the calendar holds; deadlines are counted only between them.
    pub fn days(&self) -> RangeInclusive<NaiveDate> {
        self.first_day..=self.last_day
    }

    fn slot(&self, date: NaiveDate) -> Option<usize> {
        let offset = (date - self.first_day).num_days();
        usize::try_from(offset)
            .ok()
            .filter(|&i| i < self.day_index.len())
    }

    fn set(&mut self, date: NaiveDate, note: DayNote) {
        let Some(slot) = self.slot(date) else {
            return;
        };
        self.notes.push(note);
        // The notes of one calendar stay far below u16::MAX (about 25 per year).
        self.day_index[slot] = u16::try_from(self.notes.len()).unwrap_or(0);
    }

    /// What makes `date` special, if anything.
    #[inline]
    pub fn note(&self, date: NaiveDate) -> Option<&DayNote> {
        let index = self.day_index[self.slot(date)?];
        if index == 0 {
            None
        } else {
            self.notes.get(usize::from(index) - 1)
        }
    }

    /// The special days of one year, in date order, for `frontdesk calendar holidays`.
    pub fn year(&self, year: i32) -> Vec<(NaiveDate, &DayNote)> {
        let Some(start) = NaiveDate::from_ymd_opt(year, 1, 1) else {
            return Vec::new();
        };
        start
            .iter_days()
            .take_while(|d| d.year() == year)
            .filter_map(|d| self.note(d).map(|n| (d, n)))
            .collect()
    }

    /// The act a year's transfers were reviewed against, if an administrator confirmed them.
    pub fn transfers_reviewed(&self, year: i32) -> Option<&LegalSource> {
        self.reviewed_years.get(&year)
    }

    /// The holidays the file does not name in every interface language.
    pub fn names_missing(&self) -> &[HolidayDataWarning] {
        &self.unnamed
    }

    /// What the file lacks for `years` (those live deadlines reach): Kurban Ait's date and the
    /// confirmation that the year's transfers were reviewed.
    pub fn warnings(&self, years: RangeInclusive<i32>) -> Vec<HolidayDataWarning> {
        let mut warnings = Vec::new();
        for year in years.filter(|&y| supported_year(y)) {
            if !self.kurban_ait_years.contains(&year) {
                warnings.push(HolidayDataWarning::NoKurbanAit { year });
            }
            if !self.reviewed_years.contains_key(&year) {
                warnings.push(HolidayDataWarning::TransfersNotReviewed { year });
            }
        }
        warnings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default_calendar() -> HolidayCalendar {
        let data: HolidayData = toml::from_str(DEFAULT_CALENDAR_TOML).unwrap();
        assert!(data.validate().is_empty());
        HolidayCalendar::new(&data)
    }

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn nauryz_2026_on_a_weekend_gives_24_and_25_march_off() {
        let calendar = default_calendar();
        for day in ["2026-03-21", "2026-03-22", "2026-03-23"] {
            assert!(matches!(
                calendar.note(date(day)),
                Some(DayNote::Holiday { .. })
            ));
        }
        for (moved, from) in [("2026-03-24", "2026-03-21"), ("2026-03-25", "2026-03-22")] {
            let Some(DayNote::MovedDayOff {
                holiday,
                from: moved_from,
                source: Some(source),
            }) = calendar.note(date(moved))
            else {
                panic!("{moved} is not a moved day off");
            };
            assert_eq!(
                (holiday.english(), *moved_from),
                ("Nauryz meiramy", date(from))
            );
            assert_eq!(holiday.kk.as_deref(), Some("Наурыз мейрамы"));
            assert_eq!(source.article.as_deref(), Some("5"));
        }
        assert_eq!(calendar.note(date("2026-03-26")), None);
    }

    #[test]
    fn religious_holidays_do_not_move() {
        let calendar = default_calendar();
        // Kurban Ait 2024 was a Sunday; 17 June 2024 was a working day.
        assert!(calendar.note(date("2024-06-16")).is_some());
        assert_eq!(calendar.note(date("2024-06-17")), None);
    }

    #[test]
    fn transfers_apply_both_ways() {
        let calendar = default_calendar();
        assert!(calendar.note(date("2025-01-03")).unwrap().is_day_off());
        assert!(!calendar.note(date("2025-01-05")).unwrap().is_day_off());
    }

    const SOURCE: &str = "source = { act = 'Law' }\n";

    fn errors_of(toml_text: &str) -> Vec<String> {
        let data: HolidayData = toml::from_str(toml_text).unwrap();
        data.validate().iter().map(ToString::to_string).collect()
    }

    #[test]
    fn bad_month_day_is_reported_with_its_path() {
        let errors = errors_of(&format!(
            "[[holiday]]\nname='x'\nkind='religious'\ndates=['13-01']\n{SOURCE}"
        ));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with("holiday[0].dates[0]"));
    }

    #[test]
    fn every_entry_needs_its_source() {
        for entry in [
            "[[holiday]]\nname='x'\nkind='religious'\ndates=['01-07']\n",
            "[[dated]]\nname='x'\nkind='religious'\ndate='2027-05-16'\n",
            "[[transfer]]\nday_off='2027-01-08'\nwork_day='2027-01-09'\n",
            "[[year]]\nyear=2027\n",
        ] {
            let error = toml::from_str::<HolidayData>(entry)
                .unwrap_err()
                .to_string();
            assert!(
                error.contains("missing field `source`")
                    || error.contains("missing field `transfers_reviewed`"),
                "{entry}: {error}"
            );
        }
    }

    #[test]
    fn a_source_must_say_something_safely() {
        let errors = errors_of(
            "[[dated]]\nname='x'\nkind='religious'\ndate='2027-05-16'\nsource = { act = ' ', number = 'N\u{202E}1' }\n",
        );
        assert_eq!(
            errors,
            [
                "dated[0].source.act: must not be empty",
                "dated[0].source.number: holds a control, bidi or zero-width character"
            ]
        );
    }

    #[test]
    fn movable_holidays_need_the_rule_that_moves_them() {
        let holiday = format!("[[holiday]]\nname='x'\nkind='state'\ndates=['03-08']\n{SOURCE}");
        assert_eq!(
            errors_of(&holiday)
                .iter()
                .map(|e| e.split(':').next().unwrap_or_default())
                .collect::<Vec<_>>(),
            ["moved_day_off"]
        );
        assert_eq!(
            errors_of(&format!("[moved_day_off]\n{SOURCE}{holiday}")),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_holiday_that_ended_names_the_act_that_ended_it() {
        let base = format!("[[holiday]]\nname='x'\nkind='religious'\ndates=['08-30']\n{SOURCE}");
        assert!(errors_of(&format!("{base}until_year = 2025\n"))[0]
            .starts_with("holiday[0].until_year: the holiday ends after 2025"));
        assert!(
            errors_of(&format!("{base}ended_by = {{ act = 'Law' }}\n"))[0]
                .starts_with("holiday[0].ended_by: is given but until_year is not")
        );
        assert!(errors_of(&format!(
            "{base}until_year = 2025\nended_by = {{ act = 'Law' }}\n"
        ))
        .is_empty());
    }

    #[test]
    fn dates_and_years_outside_the_calendar_are_refused() {
        let errors = errors_of(&format!(
            "[[dated]]\nname='x'\nkind='religious'\ndate='2101-05-16'\n{SOURCE}\
             [[transfer]]\nday_off='1989-01-03'\nwork_day='1990-01-06'\n{SOURCE}\
             [[year]]\nyear=2026\ntransfers_reviewed = {{ act = 'Order' }}\n\
             [[year]]\nyear=2026\ntransfers_reviewed = {{ act = 'Order' }}\n\
             [[year]]\nyear=9999\ntransfers_reviewed = {{ act = 'Order' }}\n"
        ));
        let paths: Vec<_> = errors
            .iter()
            .map(|e| e.split(':').next().unwrap_or_default())
            .collect();
        assert_eq!(
            paths,
            [
                "dated[0].date",
                "transfer[0].day_off",
                "year[1].year",
                "year[2].year"
            ]
        );
    }

    #[test]
    fn warnings_name_the_years_that_lack_kurban_ait_or_a_review() {
        let calendar = default_calendar();
        assert_eq!(calendar.warnings(2025..=2026), Vec::new());
        assert_eq!(
            calendar.warnings(2026..=2027),
            [
                HolidayDataWarning::NoKurbanAit { year: 2027 },
                HolidayDataWarning::TransfersNotReviewed { year: 2027 }
            ]
        );
        // A year the calendar does not hold is refused elsewhere, not warned about.
        assert_eq!(calendar.warnings(2101..=2101), Vec::new());
    }

    #[test]
    fn the_shipped_file_names_every_holiday_in_every_language() {
        assert_eq!(default_calendar().names_missing(), []);
    }

    #[test]
    fn an_english_only_name_still_loads_and_is_reported_as_a_warning() {
        let text = format!(
            "[[holiday]]\nname='Orthodox Christmas'\nkind='religious'\ndates=['01-07']\n{SOURCE}\
             [[dated]]\nname={{ kk = 'Құрбан айт', en = 'Kurban Ait' }}\nkind='religious'\ndate='2026-05-27'\n{SOURCE}"
        );
        let data: HolidayData = toml::from_str(&text).unwrap();
        assert_eq!(data.validate(), []);
        let calendar = HolidayCalendar::new(&data);
        let Some(DayNote::Holiday { name, .. }) = calendar.note(date("2026-01-07")) else {
            panic!("7 January is not a holiday");
        };
        assert_eq!(
            (name.english(), name.kk.as_deref()),
            ("Orthodox Christmas", None)
        );
        let warnings: Vec<_> = calendar
            .names_missing()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(
            warnings[0].starts_with("holiday[0].name: no name in kk, ru;"),
            "{warnings:?}"
        );
        assert!(
            warnings[1].starts_with("dated[0].name: no name in ru;"),
            "{warnings:?}"
        );
    }

    #[test]
    fn a_name_table_says_what_is_wrong_with_it() {
        let holiday = |name: &str| {
            format!("[[holiday]]\nname={name}\nkind='religious'\ndates=['01-07']\n{SOURCE}")
        };
        let error = toml::from_str::<HolidayData>(&holiday("{ kz = 'Рождество' }"))
            .unwrap_err()
            .to_string();
        assert!(error.contains("unknown field `kz`"), "{error}");
        assert!(error.contains("`kk`, `ru`, `en`"), "{error}");
        assert!(toml::from_str::<HolidayData>(&holiday("3")).is_err());
        assert_eq!(
            errors_of(&holiday("{}")),
            ["holiday[0].name: gives no name: write name = { kk = \"…\", ru = \"…\", en = \"…\" }"]
        );
        assert_eq!(
            errors_of(&holiday("{ kk = ' ', ru = 'Рождество\u{202E}' }")),
            [
                "holiday[0].name.kk: must not be empty",
                "holiday[0].name.ru: holds a control, bidi or zero-width character"
            ]
        );
    }

    #[test]
    fn dates_outside_the_range_are_ordinary() {
        let calendar = default_calendar();
        assert_eq!(calendar.note(date("1980-01-01")), None);
        assert_eq!(calendar.note(date("2200-01-01")), None);
    }
}

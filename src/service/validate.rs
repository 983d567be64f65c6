//! Every field of every request, checked in the core whoever sent it: the screens' and the CLI's
//! own checks are a convenience, never the boundary. What passes here is small enough to answer
//! within bounded memory and time.

use std::ops::RangeInclusive;

use chrono::{DateTime, Duration, Utc};

use super::{Request, ServiceError};
use crate::domain::intake::{FieldProblem, Intake, IntakeForm, Problem};
use crate::domain::lifecycle::CaseCommand;
use crate::domain::query::CaseQuery;
use crate::domain::text::find_unsafe;
use crate::domain::Regulation;

/// Receipt widths a renderer is asked for (a roll is 42 columns, a page 80).
pub const RECEIPT_WIDTHS: RangeInclusive<usize> = 20..=200;
/// The most cases one answer carries; more come in pages.
pub const MAX_PAGE: usize = 1000;
/// A case number or receipt number (`ALM01-2026-000123`).
const MAX_REFERENCE_CHARS: usize = 40;
/// Staff ids, step ids, channels, measures, result kinds, grounds, office codes.
const MAX_ID_CHARS: usize = 64;
/// A search: an IIN, a receipt number or words of a name.
const MAX_SEARCH_CHARS: usize = 200;
/// A draft's slot: a ticket number and its arrival instant.
const MAX_SLOT_CHARS: usize = MAX_ID_CHARS + 40;
/// One field of a half-typed form kept as a draft (the form itself is checked on submission).
const MAX_DRAFT_FIELD_CHARS: usize = 1000;
/// Measures or documents named in one form.
const MAX_FORM_ITEMS: usize = 64;
/// Case numbers in one `ids` filter.
const MAX_IDS: usize = MAX_PAGE;
/// A client's clock may run this far ahead of ours; later than that is the future.
pub const CLOCK_SKEW_SECONDS: i64 = 60;
/// How long past its acceptance window an intake may still be submitted (a slow package, a
/// dropped link); older is refused.
pub const LATE_GRACE_MINUTES: i64 = 60;

fn invalid(field: &str, message: impl Into<String>) -> ServiceError {
    ServiceError::Invalid(vec![FieldProblem::new(
        field,
        crate::domain::intake::Problem::Other,
        message,
    )])
}

/// A short identifier-like field: bounded, and without characters that act on a terminal.
fn short(field: &str, text: &str, max: usize) -> Result<(), ServiceError> {
    let chars = text.chars().count();
    if chars > max {
        return Err(invalid(
            field,
            format!("is {chars} characters long; at most {max} are allowed"),
        ));
    }
    if let Some(found) = find_unsafe(text) {
        return Err(ServiceError::Invalid(vec![FieldProblem::unsafe_character(
            field, &found,
        )]));
    }
    Ok(())
}

fn reference(text: &str) -> Result<(), ServiceError> {
    short("case", text, MAX_REFERENCE_CHARS)
}

fn query(query: &CaseQuery) -> Result<(), ServiceError> {
    if query.limit == 0 || query.limit > MAX_PAGE {
        return Err(invalid(
            "limit",
            format!(
                "{} cases in one answer: ask for 1 to {MAX_PAGE}, and page through more",
                query.limit
            ),
        ));
    }
    if let Some(step) = &query.step {
        short("step", step, MAX_ID_CHARS)?;
    }
    if let Some(owner) = &query.owner {
        short("owner", owner.as_str(), MAX_ID_CHARS)?;
    }
    if let Some(search) = &query.search {
        short("search", search, MAX_SEARCH_CHARS)?;
    }
    if let (Some(from), Some(to)) = (query.opened_from, query.opened_to) {
        if from > to {
            return Err(invalid("opened_to", "the period ends before it starts"));
        }
    }
    if query.ids.as_ref().is_some_and(|ids| ids.len() > MAX_IDS) {
        return Err(invalid(
            "ids",
            format!("at most {MAX_IDS} case numbers at once"),
        ));
    }
    Ok(())
}

/// A form as kept in a draft: every field bounded; its content is checked when it is submitted.
fn draft_form(form: &IntakeForm) -> Result<(), ServiceError> {
    for (field, text) in [
        ("channel", &form.channel),
        ("iin", &form.iin),
        ("name", &form.name),
        ("phone", &form.phone),
        ("sector", &form.sector),
        ("settlement", &form.settlement),
        ("representative_name", &form.representative_name),
        ("representative_iin", &form.representative_iin),
        ("power_of_attorney", &form.power_of_attorney),
    ] {
        short(field, text, MAX_DRAFT_FIELD_CHARS)?;
    }
    for (field, items) in [("measures", &form.measures), ("documents", &form.documents)] {
        if items.len() > MAX_FORM_ITEMS {
            return Err(invalid(field, format!("at most {MAX_FORM_ITEMS} items")));
        }
        for item in items {
            short(field, item, MAX_ID_CHARS)?;
        }
    }
    Ok(())
}

fn command(command: &CaseCommand) -> Result<(), ServiceError> {
    match command {
        CaseCommand::Act { executor, .. } => {
            if let Some(executor) = executor {
                short("executor", executor, MAX_ID_CHARS)?;
            }
        }
        // The lifecycle checks the reason's text and length.
        CaseCommand::ReturnForRework { .. } => {}
        CaseCommand::RecordResult { kind, ground } => {
            short("result", kind, MAX_ID_CHARS)?;
            if let Some(ground) = ground {
                short("ground", ground, MAX_ID_CHARS)?;
            }
        }
    }
    Ok(())
}

/// A client's id for a request it may send again: plain, bounded, around one plain request.
pub fn request_id(id: &str, inner: &Request) -> Result<(), ServiceError> {
    if matches!(inner, Request::Once { .. }) {
        return Err(invalid(
            "request",
            "a request with an id holds one plain request",
        ));
    }
    if id.is_empty()
        || id.chars().count() > MAX_ID_CHARS
        || !id.chars().all(|c| c.is_ascii_graphic())
    {
        return Err(invalid(
            "request_id",
            format!("must be 1 to {MAX_ID_CHARS} printable ASCII characters"),
        ));
    }
    Ok(())
}

/// The bounds of every field of `request` that do not depend on the store.
pub fn request(request: &Request) -> Result<(), ServiceError> {
    match request {
        Request::Once {
            request_id: id,
            request: inner,
        } => {
            request_id(id, inner)?;
            self::request(inner)
        }
        Request::Accept { form, draft, .. } => {
            if let Some(slot) = draft {
                short("draft", slot, MAX_SLOT_CHARS)?;
            }
            draft_form(form)
        }
        Request::Act { case, command: c } => {
            reference(case)?;
            command(c)
        }
        Request::PrintReceipt { case } | Request::GetCase { case } | Request::History { case } => {
            reference(case)
        }
        Request::VoidReceipt { case, .. } => reference(case),
        Request::ReceiptText { case, width } => {
            reference(case)?;
            if !RECEIPT_WIDTHS.contains(width) {
                return Err(invalid(
                    "width",
                    format!(
                        "{width} columns is not a receipt width: use {} to {} (42 for a roll, 80 for a page)",
                        RECEIPT_WIDTHS.start(),
                        RECEIPT_WIDTHS.end()
                    ),
                ));
            }
            Ok(())
        }
        Request::List(q) => query(q),
        Request::Page {
            query: q, limit, ..
        } => query(&CaseQuery {
            limit: *limit,
            ..q.clone()
        }),
        Request::RegisterArrival {
            ticket,
            channel,
            measure,
        } => {
            if let Some(ticket) = ticket {
                short("ticket", ticket, MAX_ID_CHARS)?;
            }
            short("channel", channel, MAX_ID_CHARS)?;
            short("measure", measure, MAX_ID_CHARS)
        }
        Request::CallTicket { number } => short("ticket", number, MAX_ID_CHARS),
        Request::SaveDraft(draft) => {
            draft_form(&draft.form)?;
            if let Some(ticket) = &draft.ticket {
                short("ticket", ticket, MAX_ID_CHARS)?;
            }
            short("draft", &draft.slot(), MAX_SLOT_CHARS)
        }
        Request::Report { from, to, office } => {
            if let Some(office) = office {
                short("office", office, MAX_ID_CHARS)?;
            }
            if let (Some(from), Some(to)) = (from, to) {
                if from > to {
                    return Err(invalid("to", "the period ends before it starts"));
                }
            }
            Ok(())
        }
        Request::DropDraft { slot } => short("draft", slot, MAX_SLOT_CHARS),
        Request::LoadDrafts | Request::CallNext | Request::Queue | Request::Dashboard => Ok(()),
    }
}

/// An IIN whose birth date lies after today is a typo: its check digit can still agree.
pub fn birth_dates(intake: &Intake, now: DateTime<Utc>) -> Result<(), ServiceError> {
    let today = now.date_naive();
    let iins = std::iter::once(("iin", Some(&intake.applicant.iin))).chain(
        intake
            .representative
            .iter()
            .map(|r| ("representative_iin", r.iin.as_ref())),
    );
    for (field, iin) in iins {
        if let Some(born) = iin.map(|iin| iin.birth_date()).filter(|born| *born > today) {
            return Err(ServiceError::Invalid(vec![FieldProblem::new(
                field,
                crate::domain::intake::Problem::FutureBirthDate { born },
                format!("gives a birth date in the future ({born}): look for a typo"),
            )]));
        }
    }
    Ok(())
}

/// The channel's acceptance window in minutes (30 when the regulation does not say).
pub fn window_minutes(regulation: &Regulation, channel: &str) -> i64 {
    regulation
        .channel(channel)
        .ok()
        .and_then(|c| c.acceptance_window.seconds())
        .map_or(30, |s| s / 60)
}

/// When the intake opened, as recorded: inside the acceptance window that ends now (a client's
/// clock a little ahead counts as now), never in the future, never older than the channel's
/// window plus [`LATE_GRACE_MINUTES`].
pub fn opened_at(
    regulation: &Regulation,
    channel: &str,
    opened_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, ServiceError> {
    let Some(opened_at) = opened_at else {
        return Ok(now);
    };
    let problem = |kind, message: String| {
        ServiceError::Invalid(vec![FieldProblem::new("opened_at", kind, message)])
    };
    if opened_at > now + Duration::seconds(CLOCK_SKEW_SECONDS) {
        return Err(problem(
            Problem::OpenedInFuture,
            format!(
                "{} is in the future (it is {} now): check the counter's clock",
                opened_at.to_rfc3339(),
                now.to_rfc3339()
            ),
        ));
    }
    let window_minutes = window_minutes(regulation, channel);
    let oldest = now - Duration::minutes(window_minutes + LATE_GRACE_MINUTES);
    if opened_at < oldest {
        return Err(problem(
            Problem::OpenedTooLongAgo {
                minutes: window_minutes + LATE_GRACE_MINUTES,
            },
            format!(
                "{} is more than {} minutes ago (the {window_minutes}-minute acceptance window and {LATE_GRACE_MINUTES} minutes of grace): open a new intake",
                opened_at.to_rfc3339(),
                window_minutes + LATE_GRACE_MINUTES
            ),
        ));
    }
    Ok(opened_at.min(now))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn an_intake_opens_inside_the_window_that_ends_now() {
        let regulation = Regulation::default_embedded();
        let now = at("2026-11-25T10:00:00+05:00");
        let check = |t: &str| opened_at(&regulation, "provider", Some(at(t)), now);
        assert_eq!(
            check("2026-11-25T09:40:00+05:00").unwrap(),
            at("2026-11-25T09:40:00+05:00")
        );
        assert_eq!(check("2026-11-25T10:00:30+05:00").unwrap(), now);
        assert!(check("2026-11-25T10:05:00+05:00").is_err());
        assert!(check("1900-01-01T00:00:00+05:00").is_err());
        assert!(check("9999-01-01T00:00:00+05:00").is_err());
        assert!(check("2026-11-25T08:00:00+05:00").is_err());
        assert_eq!(opened_at(&regulation, "provider", None, now).unwrap(), now);
    }

    #[test]
    fn widths_and_limits_are_bounded() {
        let text = |width| Request::ReceiptText {
            case: "1".into(),
            width,
        };
        assert!(request(&text(42)).is_ok());
        assert!(request(&text(1 << 40)).is_err());
        assert!(request(&text(0)).is_err());
        let list = |limit| {
            Request::List(CaseQuery {
                limit,
                ..CaseQuery::default()
            })
        };
        assert!(request(&list(200)).is_ok());
        assert!(request(&list(0)).is_err());
        assert!(request(&list(usize::MAX)).is_err());
        assert!(request(&Request::GetCase {
            case: "1".repeat(10_000)
        })
        .is_err());
    }
}

//! Case lists, search as you type, and the detail of one case with its actions.

use chrono::Datelike;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::text::{fit, hanging, pad, width as text_width};
use super::{block, case_countdown, countdown_columns, countdown_spans, State};
use crate::domain::case::{Case, CaseEvent, CaseStatus};
use crate::domain::Regulation;
use crate::tui::i18n::t;
use crate::tui::state::Filter;

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    match state.detail.as_ref().and_then(|d| d.case.as_ref()) {
        Some(case) => detail(state, case, frame, area),
        None => list(state, frame, area),
    }
}

fn status_text(state: &State, case: &Case) -> String {
    match &case.status {
        CaseStatus::InProgress => case
            .current_step()
            .map_or(String::new(), |s| s.step_id.clone()),
        CaseStatus::Completed => t(state.lang, "status.completed").into(),
        CaseStatus::RefusedToAccept { .. } => t(state.lang, "status.refused").into(),
        CaseStatus::Voided { .. } => t(state.lang, "status.voided").into(),
    }
}

fn list(state: &State, frame: &mut Frame, area: Rect) {
    let lang = state.lang;
    let tabs: Vec<String> = [Filter::Mine, Filter::Overdue, Filter::DueToday]
        .iter()
        .map(|f| {
            if *f == state.cases.filter && state.cases.search.is_empty() {
                format!("[{}]", t(lang, f.key()))
            } else {
                t(lang, f.key()).to_string()
            }
        })
        .collect();
    let mut title = tabs.join("  ");
    if let (Filter::Step(i), true) = (state.cases.filter, state.cases.search.is_empty()) {
        let step = state.route_steps().get(i).cloned().unwrap_or_default();
        title = format!("{title}  [{} {step}]", t(lang, "col.step"));
    }
    if !state.cases.search.is_empty() {
        title = format!("{}: {}", t(lang, "action.search"), state.cases.search);
    }
    // The cases behind a dashboard figure: named by the figure, with who owns each and when
    // it is due (what a supervisor looks for).
    let drill = state
        .cases
        .drill
        .as_ref()
        .filter(|_| state.cases.search.is_empty());
    if let Some(drill) = drill {
        title = drill_title(state, &drill.label);
    }
    let block = block(state, title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let left_heading = super::text::pad_left(t(lang, "col.left"), super::countdown_width(lang));
    let heading = if drill.is_some() {
        format!(
            "  {left_heading} {:<5} {:<4} {} {} {}",
            t(lang, "col.case"),
            t(lang, "col.step"),
            pad(&fit(t(lang, "col.owner"), OWNER_COLUMNS), OWNER_COLUMNS),
            pad(t(lang, "col.due"), 11),
            t(lang, "col.applicant")
        )
    } else {
        format!(
            "  {left_heading} {:<6} {:<6} {:<18} {}",
            t(lang, "col.case"),
            t(lang, "col.step"),
            "№",
            t(lang, "col.applicant")
        )
    };
    let mut lines = vec![Line::styled(fit(&heading, width), state.theme.dim())];
    if state.cases.list.is_empty() {
        lines.push(Line::styled(t(lang, "cases.empty"), state.theme.dim()));
    }
    let rows = usize::from(inner.height).saturating_sub(1);
    let first = state.cases.selected.saturating_sub(rows.saturating_sub(1));
    for (i, case) in state.cases.list.iter().enumerate().skip(first).take(rows) {
        let countdown = case_countdown(&state.ctx.regulation, case, state.now);
        let mut spans = match &countdown {
            Some(c) => countdown_spans(state, c),
            None => vec![Span::raw(" ".repeat(countdown_columns(lang)))],
        };
        let rest = if drill.is_some() {
            let due = case.current_step().map_or(String::new(), |s| {
                local(&state.ctx.regulation, case, s.deadline)
            });
            format!(
                " {:<5} {:<4} {} {} {}",
                case.id,
                status_text(state, case),
                pad(&fit(&case_owner(state, case), OWNER_COLUMNS), OWNER_COLUMNS),
                pad(&due, 11),
                case.intake.applicant.name
            )
        } else {
            format!(
                " {:<6} {:<6} {:<18} {}",
                case.id,
                status_text(state, case),
                case.receipt_no.to_string(),
                case.intake.applicant.name
            )
        };
        spans.push(Span::raw(pad(
            &fit(&rest, width.saturating_sub(countdown_columns(lang))),
            width.saturating_sub(countdown_columns(lang)),
        )));
        let mut line = Line::from(spans);
        if i == state.cases.selected {
            line = line.style(state.theme.selected());
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Columns of the owner in a dashboard drill-down.
const OWNER_COLUMNS: usize = 16;

/// Who a case waits for: the staff member it is assigned to, else the role of its step.
fn case_owner(state: &State, case: &Case) -> String {
    let Some(step) = case.current_step() else {
        return String::new();
    };
    if let Some(assignee) = &step.assignee {
        return state.ctx.staff_name(assignee);
    }
    let regulation = &state.ctx.regulation;
    regulation
        .channel(&case.intake.channel)
        .ok()
        .and_then(|c| c.steps.get(step.index))
        .map(|s| {
            s.roles
                .iter()
                .map(|r| {
                    regulation
                        .role(r)
                        .map_or(r.clone(), |r| r.name.get(state.lang).to_string())
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

/// A dashboard figure's name, with people by name and roles by their names.
fn drill_title(state: &State, label: &crate::tui::state::CellLabel) -> String {
    use crate::tui::state::CellLabel;
    let who = |owner: &str| match owner.strip_prefix('@') {
        Some(role) => state
            .ctx
            .regulation
            .role(role)
            .map_or(role.to_string(), |r| r.name.get(state.lang).to_string()),
        None => state.ctx.staff_name(owner),
    };
    match label {
        CellLabel::PersonOpen { owner } => {
            format!("{}: {}", who(owner), t(state.lang, "dash.open"))
        }
        CellLabel::PersonOverdue { owner } => {
            format!("{}: {}", who(owner), t(state.lang, "dash.overdue"))
        }
        other => other.text(state.lang),
    }
}

fn local(regulation: &Regulation, case: &Case, t: chrono::DateTime<chrono::Utc>) -> String {
    regulation
        .channel(&case.intake.channel)
        .ok()
        .and_then(|c| regulation.calendar(&c.schedule))
        .map_or(t.format("%d.%m %H:%M").to_string(), |c| {
            // Day and month only: the detail column is narrow and the year is today's.
            c.to_local(t).format("%d.%m %H:%M").to_string()
        })
}

/// A weekday's short name in `lang`.
fn weekday(lang: crate::domain::Lang, day: chrono::Weekday) -> &'static str {
    let key = ["wd.1", "wd.2", "wd.3", "wd.4", "wd.5", "wd.6", "wd.7"]
        [day.num_days_from_monday() as usize];
    t(lang, key)
}

/// A recorded result by its names: the kind, and the refusal ground when there is one.
fn result_text(state: &State, result: &crate::domain::case::CaseResult) -> String {
    let regulation = &state.ctx.regulation;
    let kind = regulation
        .result_kind(&result.kind)
        .map_or(result.kind.clone(), |r| r.name.get(state.lang).to_string());
    match result.ground.as_deref().map(|g| {
        regulation
            .refusal_ground(g)
            .map_or(g.to_string(), |g| g.name.get(state.lang).to_string())
    }) {
        Some(ground) => format!("{kind} ({ground})"),
        None => kind,
    }
}

fn detail(state: &State, case: &Case, frame: &mut Frame, area: Rect) {
    let lang = state.lang;
    let regulation = &state.ctx.regulation;
    let Some(detail) = &state.detail else { return };
    let title = format!("{} {} · {}", t(lang, "col.case"), case.id, case.receipt_no);
    let block = block(state, title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(inner);
    let left_width = usize::from(left.width);
    let a = &case.intake.applicant;
    let mut lines = vec![Line::raw(fit(
        &format!("{} · {} {}", a.name, t(lang, "field.iin"), a.iin),
        left_width,
    ))];
    if let Some(rep) = &case.intake.representative {
        lines.push(Line::raw(fit(
            &format!(
                "{}: {} ({})",
                t(lang, "field.representative"),
                rep.name,
                rep.power_of_attorney
            ),
            left_width,
        )));
    }
    let measures: Vec<&str> = case
        .intake
        .measures
        .iter()
        .filter_map(|m| regulation.measure(m).ok())
        .map(|m| m.name.get(lang))
        .collect();
    lines.push(Line::raw(fit(&measures.join(" + "), left_width)));
    if let Some(result) = &case.result {
        // Wrapped: the ground of a refusal is the point of the line.
        let text = format!(
            "{}: {}",
            t(lang, "detail.result"),
            result_text(state, result)
        );
        for line in super::text::wrapped(&text, left_width) {
            lines.push(Line::styled(line, state.theme.focused()));
        }
    }
    lines.push(Line::styled(t(lang, "detail.steps"), state.theme.dim()));
    for step in &case.steps {
        // A step finished after its deadline is marked late, not ticked like one on time.
        let late = step.finished_at.is_some_and(|at| at > step.deadline);
        let end = match step.finished_at {
            Some(at) if late => format!(
                "{} {} {}",
                state.theme.symbol(crate::countdown::Urgency::Overdue),
                t(lang, "step.late"),
                local(regulation, case, at)
            ),
            Some(at) => format!("✓ {}", local(regulation, case, at)),
            None => String::new(),
        };
        let mut spans = vec![Span::raw(format!(
            "{:<3} {} ",
            step.step_id,
            local(regulation, case, step.deadline)
        ))];
        let mut resumes = None;
        if step.finished_at.is_none() {
            if let Some(c) = case_countdown(regulation, case, state.now) {
                spans.extend(countdown_spans(state, &c));
                resumes = c.resumes;
            }
        } else if late {
            spans.push(Span::styled(
                end,
                state.theme.urgency(crate::countdown::Urgency::Overdue),
            ));
        } else {
            spans.push(Span::styled(end, state.theme.dim()));
        }
        if let Some(assignee) = &step.assignee {
            spans.push(Span::raw(format!(" {}", state.ctx.staff_name(assignee))));
        }
        lines.push(Line::from(spans));
        // On its own line: the detail column is narrow.
        if let Some(resumes) = resumes {
            let text = format!(
                "    {} {}",
                t(lang, "paused"),
                local(regulation, case, resumes)
            );
            lines.push(Line::styled(
                fit(&text, left_width),
                state.theme.urgency(crate::countdown::Urgency::Paused),
            ));
        }
    }
    if detail.explain {
        if let (Some(step), Ok(channel)) = (
            case.current_step(),
            regulation.channel(&case.intake.channel),
        ) {
            if let Some(definition) = channel.steps.get(step.index) {
                if let Some(calendar) = regulation.calendar(&definition.schedule) {
                    let limit = Regulation::step_limit(definition, &case.intake.measures);
                    let explanation = calendar.explain(step.started_at, limit);
                    lines.push(Line::styled(
                        format!(
                            "{} ({})",
                            t(lang, "detail.explain"),
                            crate::tui::i18n::limit_text(lang, limit)
                        ),
                        state.theme.dim(),
                    ));
                    let (intervals, days) = match &explanation {
                        Ok(x) => (&x.intervals[..], &x.days[..]),
                        Err(e) => {
                            let text = crate::tui::i18n::working_time_error(lang, e);
                            lines.push(Line::raw(fit(&format!(" {text}"), left_width)));
                            (&[][..], &[][..])
                        }
                    };
                    for interval in intervals {
                        let (s, e) = (
                            calendar.to_local(interval.start),
                            calendar.to_local(interval.end),
                        );
                        lines.push(Line::raw(format!(
                            " {} {} {}–{}",
                            s.format("%d.%m"),
                            weekday(lang, s.weekday()),
                            s.format("%H:%M"),
                            e.format("%H:%M")
                        )));
                    }
                    for day in days.iter().filter(|d| d.counted_as.is_none()) {
                        let reason = match calendar.note(day.date) {
                            Some(note) => crate::tui::i18n::day_note_text(lang, note),
                            None => t(lang, "day.closed").to_string(),
                        };
                        lines.push(Line::raw(fit(
                            &format!(
                                " {} {} {reason}",
                                day.date.format("%d.%m"),
                                weekday(lang, day.date.weekday())
                            ),
                            left_width,
                        )));
                    }
                }
            }
        }
    }
    let skip = usize::from(detail.scroll);
    frame.render_widget(
        Paragraph::new(lines.into_iter().skip(skip).collect::<Vec<_>>()),
        left,
    );

    let right_width = usize::from(right.width);
    let mut lines = vec![Line::styled(t(lang, "detail.actions"), state.theme.dim())];
    let offers = state.offers(case);
    if offers.is_empty() {
        lines.push(Line::styled(
            fit(t(lang, "detail.no_actions"), right_width),
            state.theme.dim(),
        ));
    }
    // Actions and history wrap under their first word: a cut action or event can mislead.
    for (i, offer) in offers.iter().enumerate() {
        for row in hanging(
            &format!("{} {}", i + 1, t(lang, &offer.key())),
            right_width,
            2,
        ) {
            lines.push(Line::styled(row, state.theme.focused()));
        }
    }
    let receipt_state = if case.receipt.voided.is_some() {
        t(lang, "status.voided").to_string()
    } else if case.receipt.printed > 0 {
        format!("{} ×{}", t(lang, "receipt.printed"), case.receipt.printed)
    } else {
        t(lang, "receipt.unprinted").to_string()
    };
    lines.push(Line::raw(fit(
        &format!("{}: {receipt_state}", t(lang, "screen.receipt")),
        right_width,
    )));
    lines.push(Line::styled(t(lang, "detail.history"), state.theme.dim()));
    let rows = usize::from(right.height);
    for event in detail.history.iter().rev() {
        if lines.len() >= rows {
            break;
        }
        // What happened, in the past tense.
        let what = match &event.record.event {
            CaseEvent::Accepted { .. } => t(lang, "done.accept").to_string(),
            CaseEvent::RefusedToAccept { .. } => t(lang, "done.refused").to_string(),
            CaseEvent::StepFinished { action, .. } => {
                t(lang, &format!("done.{}", action.id())).to_string()
            }
            CaseEvent::ReturnedForRework { .. } => t(lang, "done.return-for-rework").to_string(),
            CaseEvent::ResultRecorded(r) => {
                format!(
                    "{}: {}",
                    t(lang, "done.record-result"),
                    result_text(state, r)
                )
            }
            CaseEvent::ReceiptPrinted { .. } => t(lang, "done.printed").to_string(),
            CaseEvent::ReceiptPrintFailed { .. } => t(lang, "done.print_failed").to_string(),
            CaseEvent::ReceiptVoided { .. } => t(lang, "done.voided").to_string(),
        };
        let when = regulation
            .calendar(&state.office_schedule())
            .map_or(String::new(), |c| {
                c.to_local(event.record.at)
                    .format("%d.%m %H:%M")
                    .to_string()
            });
        let indent = text_width(&when) + 1;
        for row in hanging(&format!("{when} {what}"), right_width, indent) {
            lines.push(Line::raw(row));
        }
    }
    lines.truncate(rows);
    let _ = width;
    frame.render_widget(Paragraph::new(lines), right);
}

//! Case lists, search as you type, and the detail of one case with its actions.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::text::{fit, pad};
use super::{block, case_countdown, countdown_spans, State};
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
            if *f == state.filter && state.search.is_empty() {
                format!("[{}]", t(lang, f.key()))
            } else {
                t(lang, f.key()).to_string()
            }
        })
        .collect();
    let mut title = tabs.join("  ");
    if let (Filter::Step(i), true) = (state.filter, state.search.is_empty()) {
        let step = state.route_steps().get(i).cloned().unwrap_or_default();
        title = format!("{title}  [{} {step}]", t(lang, "col.step"));
    }
    if !state.search.is_empty() {
        title = format!("{}: {}", t(lang, "action.search"), state.search);
    }
    let block = block(state, title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let mut lines = vec![Line::styled(
        fit(
            &format!(
                "  {:>8} {:<6} {:<6} {:<18} {}",
                t(lang, "col.left"),
                t(lang, "col.case"),
                t(lang, "col.step"),
                "№",
                t(lang, "col.applicant")
            ),
            width,
        ),
        state.theme.dim(),
    )];
    if state.cases.is_empty() {
        lines.push(Line::styled(t(lang, "cases.empty"), state.theme.dim()));
    }
    let rows = usize::from(inner.height).saturating_sub(1);
    let first = state.case_selected.saturating_sub(rows.saturating_sub(1));
    for (i, case) in state.cases.iter().enumerate().skip(first).take(rows) {
        let countdown = case_countdown(&state.ctx.regulation, case, state.now);
        let mut spans = match &countdown {
            Some(c) => countdown_spans(state, c),
            None => vec![Span::raw(" ".repeat(10))],
        };
        let rest = format!(
            " {:<6} {:<6} {:<18} {}",
            case.id,
            status_text(state, case),
            case.receipt_no.to_string(),
            case.intake.applicant.name
        );
        spans.push(Span::raw(pad(
            &fit(&rest, width.saturating_sub(10)),
            width.saturating_sub(10),
        )));
        let mut line = Line::from(spans);
        if i == state.case_selected {
            line = line.style(state.theme.selected());
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), inner);
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
    lines.push(Line::styled(t(lang, "detail.steps"), state.theme.dim()));
    for step in &case.steps {
        let end = match step.finished_at {
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
                        format!("{} ({limit})", t(lang, "detail.explain")),
                        state.theme.dim(),
                    ));
                    let (intervals, days) = match &explanation {
                        Ok(x) => (&x.intervals[..], &x.days[..]),
                        Err(e) => {
                            lines.push(Line::raw(fit(&format!(" {e}"), left_width)));
                            (&[][..], &[][..])
                        }
                    };
                    for interval in intervals {
                        let (s, e) = (
                            calendar.to_local(interval.start),
                            calendar.to_local(interval.end),
                        );
                        lines.push(Line::raw(format!(
                            " {} {}–{}",
                            s.format("%d.%m %a"),
                            s.format("%H:%M"),
                            e.format("%H:%M")
                        )));
                    }
                    for day in days.iter().filter(|d| d.counted_as.is_none()) {
                        let reason = match &day.kind {
                            crate::calendar::DayKind::DayOff { reason } => reason.clone(),
                            _ => "—".into(),
                        };
                        lines.push(Line::raw(fit(
                            &format!(" {} {reason}", day.date.format("%d.%m %a")),
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
    for (i, offer) in offers.iter().enumerate() {
        lines.push(Line::styled(
            fit(&format!("{} {}", i + 1, t(lang, &offer.key())), right_width),
            state.theme.focused(),
        ));
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
    for event in detail
        .history
        .iter()
        .rev()
        .take(usize::from(right.height).saturating_sub(lines.len() as u16 as usize))
    {
        let what = match &event.record.event {
            CaseEvent::Accepted { .. } => t(lang, "act.accept").to_string(),
            CaseEvent::RefusedToAccept { .. } => t(lang, "status.refused").to_string(),
            CaseEvent::StepFinished { action, .. } => {
                t(lang, &format!("act.{}", action.id())).to_string()
            }
            CaseEvent::ReturnedForRework { .. } => t(lang, "act.return-for-rework").to_string(),
            CaseEvent::ResultRecorded(r) => format!("{}: {}", t(lang, "act.record-result"), r.kind),
            CaseEvent::ReceiptPrinted { .. } => t(lang, "receipt.printed").to_string(),
            CaseEvent::ReceiptPrintFailed { .. } => t(lang, "receipt.unprinted").to_string(),
            CaseEvent::ReceiptVoided { .. } => t(lang, "status.voided").to_string(),
        };
        let when = regulation
            .calendar(&state.office_schedule())
            .map_or(String::new(), |c| {
                c.to_local(event.record.at)
                    .format("%d.%m %H:%M")
                    .to_string()
            });
        lines.push(Line::raw(fit(&format!("{when} {what}"), right_width)));
    }
    let _ = width;
    frame.render_widget(Paragraph::new(lines), right);
}

//! `frontdesk case …` and `frontdesk receipt …`: the requests the screens use, for scripts.

use std::io::Write;

use chrono::{DateTime, Utc};
use clap::Subcommand;

use super::output::{local, remaining, safe_lines, status};
use super::session::Session;
use super::{parse_instant, print_json, Cli, CliError, CliResult};
use crate::domain::case::{Case, CaseEvent, CaseStatus};
use crate::domain::intake::IntakeForm;
use crate::domain::lifecycle::CaseCommand as LifecycleCommand;
use crate::domain::query::{CaseQuery, OwnerKey};
use crate::domain::regulation::Action;
use crate::domain::text::shown_safely;
use crate::domain::{Lang, Regulation};
use crate::service::{Request, Response};

#[derive(Debug, Subcommand)]
pub enum CaseCommand {
    /// Accept a document package; with documents missing, refuse to accept and print the
    /// refusal receipt's number instead.
    Accept {
        /// provider or state-corp (default: the channel your office serves).
        #[arg(long)]
        channel: Option<String>,
        /// Support measure; repeat for both.
        #[arg(long = "measure", required = true)]
        measures: Vec<String>,
        #[arg(long)]
        iin: String,
        /// Full name of the applicant.
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        phone: String,
        #[arg(long, default_value = "")]
        sector: String,
        #[arg(long, default_value = "")]
        settlement: String,
        /// Full name of a representative applying for the applicant.
        #[arg(long, default_value = "")]
        representative: String,
        #[arg(long, default_value = "")]
        representative_iin: String,
        /// The representative's notarised power of attorney (number, date, notary).
        #[arg(long, default_value = "")]
        poa: String,
        /// `all`, or the presented documents' ids separated by commas.
        #[arg(long)]
        docs: String,
        /// When intake opened at the counter (default: now).
        #[arg(long, value_parser = parse_instant)]
        opened_at: Option<DateTime<Utc>>,
        #[arg(long)]
        json: bool,
    },
    /// List cases through the indexes.
    List {
        #[arg(long)]
        step: Option<String>,
        /// Staff id of the assignee, or @role for a role's work.
        #[arg(long)]
        owner: Option<String>,
        /// Only open cases past their step's deadline.
        #[arg(long)]
        overdue: bool,
        #[arg(long, value_parser = parse_instant)]
        due_before: Option<DateTime<Utc>>,
        /// IIN, receipt number or words of a name.
        #[arg(long)]
        search: Option<String>,
        #[arg(long, default_value_t = 200)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// A case with its steps, deadlines, remaining working time and history.
    Show {
        /// Case number or receipt number.
        case: String,
        #[arg(long)]
        json: bool,
    },
    /// Take a lifecycle action on a case as the given staff member.
    Act {
        case: String,
        /// register, assign-executor, submit-for-signature, sign, return-for-rework,
        /// record-result, send-to-provider, hand-to-state-corp, receive-result, issue.
        action: String,
        #[arg(long)]
        executor: Option<String>,
        #[arg(long)]
        reason: Option<String>,
        /// Result kind for record-result (agreement, refusal, queue, notification).
        #[arg(long)]
        result: Option<String>,
        /// Art. 19-1 ground of a refusal.
        #[arg(long)]
        ground: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ReceiptCommand {
    /// The receipt as text.
    Show {
        case: String,
        /// 42 (thermal roll) or 80 (page); default from the configuration.
        #[arg(long)]
        width: Option<usize>,
    },
    /// Print through the configured command; a reprint says DUPLICATE.
    Print {
        case: String,
        #[arg(long)]
        json: bool,
    },
    /// Void a receipt: the number stays used, with the reason.
    Void {
        case: String,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        json: bool,
    },
}

fn expect_case(response: Response) -> Result<Case, CliError> {
    match response {
        Response::Case(case) => Ok(*case),
        other => Err(CliError::Message(format!("unexpected answer {other:?}"))),
    }
}

fn documents(
    regulation: &Regulation,
    measures: &[String],
    representative: bool,
    docs: &str,
) -> Result<Vec<String>, CliError> {
    if docs.trim() == "all" {
        return regulation
            .required_documents(measures, representative)
            .map_err(|e| CliError::Message(format!("--measure: {e}")));
    }
    Ok(docs
        .split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(str::to_string)
        .collect())
}

fn result_due(session: &Session, case: &Case) -> Option<String> {
    let regulation = session.regulation();
    let route = regulation
        .route(
            &case.intake.channel,
            &case.intake.measures,
            case.window.opened_at,
        )
        .ok()?;
    let due = route.last()?.deadline;
    Some(local(regulation, &case.intake.channel, due))
}

pub fn run(cli: &Cli, command: &CaseCommand) -> CliResult {
    let session = cli.session()?;
    let regulation = session.regulation();
    match command {
        CaseCommand::Accept {
            channel,
            measures,
            iin,
            name,
            phone,
            sector,
            settlement,
            representative,
            representative_iin,
            poa,
            docs,
            opened_at,
            json,
        } => {
            let channel = match channel {
                Some(c) => c.clone(),
                None => session.office_channel().to_string(),
            };
            let form = IntakeForm {
                channel,
                measures: measures.clone(),
                iin: iin.clone(),
                name: name.clone(),
                phone: phone.clone(),
                sector: sector.clone(),
                settlement: settlement.clone(),
                representative_name: representative.clone(),
                representative_iin: representative_iin.clone(),
                power_of_attorney: poa.clone(),
                documents: documents(
                    regulation,
                    measures,
                    !representative.trim().is_empty(),
                    docs,
                )?,
            };
            let case = expect_case(session.execute(Request::Accept {
                draft: None,
                form,
                opened_at: *opened_at,
            })?)?;
            if *json {
                return print_json(&serde_json::json!({
                    "case": case.id,
                    "receipt_no": case.receipt_no.to_string(),
                    "status": status(&case),
                    "missing": match &case.status { CaseStatus::RefusedToAccept { missing } => missing.clone(), _ => Vec::new() },
                    "result_due": result_due(&session, &case),
                    "window_overrun_seconds": case.window.overrun_seconds,
                }));
            }
            match &case.status {
                CaseStatus::RefusedToAccept { missing } => {
                    println!("{}", case.receipt_no);
                    println!(
                        "refused to accept (case {}): refusal receipt {}",
                        case.id, case.receipt_no
                    );
                    for doc in missing {
                        let name = regulation
                            .document(doc)
                            .map_or(doc.as_str(), |d| d.name.get(Lang::En));
                        println!("  missing: {doc} — {name}");
                    }
                }
                _ => {
                    println!("{}", case.receipt_no);
                    println!(
                        "accepted (case {}): receipt {}; result due {}",
                        case.id,
                        case.receipt_no,
                        result_due(&session, &case).unwrap_or_default()
                    );
                }
            }
            if case.window.overrun_seconds > 0 {
                println!(
                    "acceptance window overrun by {} (recorded on the case)",
                    super::calendar_cmd::format_span(case.window.overrun_seconds)
                );
            }
            Ok(())
        }
        CaseCommand::List {
            step,
            owner,
            overdue,
            due_before,
            search,
            limit,
            json,
        } => {
            let now = session.now();
            let due_before = if *overdue {
                Some(due_before.map_or(now, |d| d.min(now)))
            } else {
                *due_before
            };
            let query = CaseQuery {
                step: step.clone(),
                owner: owner.as_deref().map(OwnerKey::parse),
                due_before,
                search: search.clone(),
                limit: *limit,
                ..CaseQuery::default()
            };
            let row_json = |c: &Case| {
                let step = c.current_step();
                serde_json::json!({
                    "case": c.id,
                    "receipt_no": c.receipt_no.to_string(),
                    "status": status(c),
                    "step": step.map(|s| s.step_id.clone()),
                    "assignee": step.and_then(|s| s.assignee.clone()),
                    "deadline": step.map(|s| s.deadline.to_rfc3339()),
                    "remaining_seconds": remaining(regulation, c, now).map(|r| r.0),
                    "iin": c.intake.applicant.iin.to_string(),
                    "name": c.intake.applicant.name,
                })
            };
            let row_text = |c: &Case| {
                let step = c.current_step();
                format!(
                    "{:>6}  {:<18} {:<18} {:<10} {:<16} {:<18} {}",
                    c.id,
                    c.receipt_no.to_string(),
                    status(c),
                    step.and_then(|s| s.assignee.clone()).unwrap_or_default(),
                    step.map(|s| local(regulation, &c.intake.channel, s.deadline))
                        .unwrap_or_default(),
                    remaining(regulation, c, now)
                        .map(|r| r.1)
                        .unwrap_or_default(),
                    shown_safely(&c.intake.applicant.name)
                )
            };
            if (1..=crate::service::validate::MAX_PAGE).contains(limit) {
                // One answer, in list order (open cases by deadline).
                let Response::Cases(cases) = session.execute(Request::List(query))? else {
                    return Err(CliError::Message("unexpected answer".into()));
                };
                if *json {
                    return print_json(&cases.iter().map(row_json).collect::<Vec<_>>());
                }
                for c in &cases {
                    println!("{}", row_text(c));
                }
                eprintln!("{} case(s)", cases.len());
                return Ok(());
            }
            // More than one answer holds (or all, with 0): page by page in case-number order,
            // each row written as it comes, so memory stays one page.
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            let write_error =
                |e: std::io::Error| CliError::Message(format!("writing the list: {e}"));
            let mut shown = 0usize;
            if *json {
                write!(out, "[").map_err(write_error)?;
            }
            session.for_each_case(&query, |c| {
                if *limit != 0 && shown >= *limit {
                    return Ok(());
                }
                if *json {
                    let separator = if shown == 0 { "\n" } else { ",\n" };
                    write!(out, "{separator}{}", row_json(c)).map_err(write_error)?;
                } else {
                    writeln!(out, "{}", row_text(c)).map_err(write_error)?;
                }
                shown += 1;
                Ok(())
            })?;
            if *json {
                writeln!(out, "\n]").map_err(write_error)?;
            }
            out.flush().map_err(write_error)?;
            eprintln!("{shown} case(s)");
            Ok(())
        }
        CaseCommand::Show { case, json } => {
            let case = expect_case(session.execute(Request::GetCase { case: case.clone() })?)?;
            let Response::History(history) = session.execute(Request::History {
                case: case.id.to_string(),
            })?
            else {
                return Err(CliError::Message("unexpected answer".into()));
            };
            if *json {
                return print_json(&serde_json::json!({ "case": case, "history": history }));
            }
            print!("{}", safe_lines(&describe_case(&session, &case, &history)));
            Ok(())
        }
        CaseCommand::Act {
            case,
            action,
            executor,
            reason,
            result,
            ground,
            json,
        } => {
            let command = match action.as_str() {
                "return-for-rework" => LifecycleCommand::ReturnForRework {
                    reason: reason.clone().unwrap_or_default(),
                },
                "record-result" => LifecycleCommand::RecordResult {
                    kind: result.clone().ok_or_else(|| {
                        CliError::Message("--result: name the result kind".into())
                    })?,
                    ground: ground.clone(),
                },
                other => LifecycleCommand::Act {
                    action: other.parse::<Action>().map_err(|e| {
                        CliError::Message(format!(
                            "ACTION: {e}; use one of {}, return-for-rework, record-result",
                            Action::ALL
                                .iter()
                                .map(|a| a.id())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ))
                    })?,
                    executor: executor.clone(),
                },
            };
            let case = expect_case(session.execute(Request::Act {
                case: case.clone(),
                command,
            })?)?;
            if *json {
                return print_json(&case);
            }
            println!("case {} ({}): {}", case.id, case.receipt_no, status(&case));
            Ok(())
        }
    }
}

/// The case as a human reads it: applicant, steps with deadlines and remaining time, history.
pub fn describe_case(
    session: &Session,
    case: &Case,
    history: &[crate::domain::case::StoredEvent],
) -> String {
    let regulation = session.regulation();
    let now = session.now();
    let channel = &case.intake.channel;
    let a = &case.intake.applicant;
    let mut out = String::new();
    out.push_str(&format!(
        "Case {}  receipt {}  {}\n",
        case.id,
        case.receipt_no,
        status(case)
    ));
    out.push_str(&format!("Applicant: {} (IIN {})", a.name, a.iin));
    if let Some(phone) = &a.phone {
        out.push_str(&format!(", {phone}"));
    }
    out.push('\n');
    if let Some(rep) = &case.intake.representative {
        out.push_str(&format!(
            "Representative: {}; power of attorney {}\n",
            rep.name, rep.power_of_attorney
        ));
    }
    out.push_str(&format!(
        "Channel {channel}; measures {}; sector {}; settlement {}\n",
        case.intake.measures.join(", "),
        a.sector.as_deref().unwrap_or("-"),
        a.settlement.as_deref().unwrap_or("-")
    ));
    out.push_str(&format!(
        "Intake opened {}, closed {} (window {}, overrun {})\n",
        local(regulation, channel, case.window.opened_at),
        local(regulation, channel, case.window.closed_at),
        case.window.limit,
        super::calendar_cmd::format_span(case.window.overrun_seconds)
    ));
    if let CaseStatus::RefusedToAccept { missing } = &case.status {
        out.push_str(&format!("Missing documents: {}\n", missing.join(", ")));
    }
    if let Some(result) = &case.result {
        out.push_str(&format!(
            "Result: {}{}\n",
            result.kind,
            result
                .ground
                .as_ref()
                .map(|g| format!(" ({g})"))
                .unwrap_or_default()
        ));
    }
    out.push_str(&format!(
        "Receipt: printed {} time(s){}{}\n",
        case.receipt.printed,
        case.receipt
            .last_print_error
            .as_ref()
            .map(|e| format!("; UNPRINTED: {e}"))
            .unwrap_or_default(),
        case.receipt
            .voided
            .as_ref()
            .map(|r| format!("; VOIDED: {r}"))
            .unwrap_or_default()
    ));
    out.push_str("Steps:\n");
    for step in &case.steps {
        let finished = match (&step.finished_at, &step.finished_by) {
            (Some(at), Some(by)) => format!("done {} by {by}", local(regulation, channel, *at)),
            _ => remaining(regulation, case, now)
                .map(|r| r.1)
                .unwrap_or_default(),
        };
        out.push_str(&format!(
            "  {:<3} started {}  deadline {}  {}{}\n",
            step.step_id,
            local(regulation, channel, step.started_at),
            local(regulation, channel, step.deadline),
            finished,
            step.assignee
                .as_ref()
                .map(|a| format!("  (assigned to {a})"))
                .unwrap_or_default()
        ));
    }
    out.push_str("History:\n");
    for event in history {
        let what = match &event.record.event {
            CaseEvent::Accepted { .. } => "accepted".to_string(),
            CaseEvent::RefusedToAccept { .. } => "refused to accept".to_string(),
            CaseEvent::StepFinished { action, .. } => action.id().to_string(),
            CaseEvent::ReturnedForRework { reason, .. } => format!("returned for rework: {reason}"),
            CaseEvent::ResultRecorded(r) => format!("result recorded: {}", r.kind),
            CaseEvent::ReceiptPrinted { duplicate } => {
                if *duplicate {
                    "receipt printed (DUPLICATE)".into()
                } else {
                    "receipt printed".into()
                }
            }
            CaseEvent::ReceiptPrintFailed { error } => format!("receipt print failed: {error}"),
            CaseEvent::ReceiptVoided { reason } => format!("receipt voided: {reason}"),
        };
        out.push_str(&format!(
            "  #{:<6} {}  {:<10} {}\n",
            event.seq,
            local(regulation, channel, event.record.at),
            event.record.actor.staff_id,
            what
        ));
    }
    out
}

pub fn run_receipt(cli: &Cli, command: &ReceiptCommand) -> CliResult {
    let session = cli.session()?;
    match command {
        ReceiptCommand::Show { case, width } => {
            let width = width.unwrap_or(session.receipt_width());
            if !crate::domain::receipt::PAPER_WIDTHS.contains(&width) {
                return Err(CliError::Message(format!(
                    "--width: {width} is not a paper width: use 42 or 80"
                )));
            }
            let Response::Text(lines) = session.execute(Request::ReceiptText {
                case: case.clone(),
                width,
            })?
            else {
                return Err(CliError::Message("unexpected answer".into()));
            };
            for line in lines {
                println!("{}", shown_safely(&line));
            }
            Ok(())
        }
        ReceiptCommand::Print { case, json } => {
            let Response::Printed {
                case,
                duplicate,
                error,
            } = session.execute(Request::PrintReceipt { case: case.clone() })?
            else {
                return Err(CliError::Message("unexpected answer".into()));
            };
            if *json {
                print_json(&serde_json::json!({
                    "receipt_no": case.receipt_no.to_string(),
                    "printed": error.is_none(),
                    "duplicate": duplicate,
                    "error": error,
                }))?;
            }
            match error {
                None => {
                    if !*json {
                        println!("printed {}{}", case.receipt_no, if duplicate { " (DUPLICATE)" } else { "" });
                    }
                    Ok(())
                }
                Some(error) => Err(CliError::Message(format!(
                    "printing {} failed: {error}. The receipt keeps its number and is marked unprinted; print it again with `frontdesk receipt print {}`",
                    case.receipt_no, case.receipt_no
                ))),
            }
        }
        ReceiptCommand::Void { case, reason, json } => {
            let case = expect_case(session.execute(Request::VoidReceipt {
                case: case.clone(),
                reason: reason.clone(),
            })?)?;
            if *json {
                return print_json(&case);
            }
            println!("voided {} ({})", case.receipt_no, shown_safely(reason));
            Ok(())
        }
    }
}

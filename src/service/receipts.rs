//! Receipts as the core renders them: the text of a case's receipt for a paper width.

use super::{Response, Service, ServiceError};
use crate::domain::case::{Actor, Case, CaseEvent};
use crate::domain::lifecycle::{self, ReceiptCommand};
use crate::domain::receipt::{self, ReceiptContext};

impl Service {
    /// Prints a case's receipt with the configured command; any print after the first is a
    /// duplicate. A failed print keeps the number and is recorded as such.
    pub(super) fn print_receipt(
        &self,
        actor: &Actor,
        case: &str,
        request_id: Option<&str>,
    ) -> Result<Response, ServiceError> {
        let current = self.find_for(actor, case)?;
        // Check before printing that this actor may record the print.
        lifecycle::decide_receipt(
            self.regulation(),
            &current,
            actor,
            self.now(),
            &ReceiptCommand::Printed,
        )?;
        let duplicate = current.receipt.printed > 0;
        let text = self
            .receipt_lines(&current, self.config().receipt_width, duplicate)
            .join("\n");
        let config = self.config();
        let outcome = crate::printer::print(
            &config.print_command,
            &format!("{text}\n"),
            std::time::Duration::from_secs(config.print_timeout_seconds.max(1)),
        )
        .map_err(|e| e.to_string());
        let command = match &outcome {
            Ok(()) => ReceiptCommand::Printed,
            Err(error) => ReceiptCommand::PrintFailed {
                error: error.clone(),
            },
        };
        let case = self.receipt_event(actor, case, command, request_id)?;
        Ok(Response::Printed {
            case: Box::new(case),
            duplicate,
            error: outcome.err(),
        })
    }

    /// The receipt of a case as text lines of `width` columns.
    pub fn receipt_lines(&self, case: &Case, width: usize, duplicate: bool) -> Vec<String> {
        let regulation = self.regulation();
        let office = self.config().office(&case.office);
        let time_zone = regulation
            .channel(&case.intake.channel)
            .ok()
            .and_then(|c| regulation.calendar(&c.schedule))
            .map_or(chrono_tz::Asia::Almaty, |c| c.time_zone());
        let result_due = regulation
            .route(
                &case.intake.channel,
                &case.intake.measures,
                case.window.opened_at,
            )
            .ok()
            .and_then(|route| route.last().map(|s| s.deadline));
        let context = ReceiptContext {
            office_name: office.map(|o| o.name.clone()).unwrap_or_default(),
            office_address: office.map(|o| o.address.clone()).unwrap_or_default(),
            office_phone: office.map(|o| o.phone.clone()).unwrap_or_default(),
            time_zone,
            employee_name: self
                .config()
                .staff_member(&case.accepted_by)
                .map_or(case.accepted_by.clone(), |s| s.name.clone()),
            result_due,
            duplicate,
            seal: self.receipt_seal(case),
            training: self.site.training,
        };
        receipt::render(regulation, case, &context, width)
    }

    /// The first 16 hex digits of the hash of the event that issued the case's receipt.
    fn receipt_seal(&self, case: &Case) -> Option<String> {
        let events = self.store().history(case.id).ok()?;
        let issued = events.iter().find(|e| {
            matches!(
                e.record.event,
                CaseEvent::Accepted { .. } | CaseEvent::RefusedToAccept { .. }
            )
        })?;
        Some(
            issued.hash[..8]
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
        )
    }
}

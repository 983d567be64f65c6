//! Which cases a staff member sees: those of the offices they serve (their own, or the list a
//! supervisor's configuration names) and, across the boundary between the provider and the State
//! Corporation, the cases handed over to a step their role works on. The core applies it to
//! every read; the screens only show what they are given.

use super::{Service, ServiceError};
use crate::domain::case::{Actor, Case};
use crate::domain::query::receipt_seq_of;
use crate::domain::receipt_no::ReceiptNo;
use crate::domain::Regulation;

/// The offices and the side of the boundary one actor serves.
pub struct Scope {
    offices: Vec<String>,
    channel: String,
    role: String,
}

impl Scope {
    pub fn serves_office(&self, office: &str) -> bool {
        self.offices.iter().any(|o| o == office)
    }

    /// Whether the actor may see `case`.
    pub fn sees(&self, regulation: &Regulation, case: &Case) -> bool {
        if self.serves_office(&case.office) {
            return true;
        }
        // A case of the other side (a State Corporation intake at the provider's office) is
        // seen once it has reached a step this role works on.
        if case.intake.channel == self.channel {
            return false;
        }
        let Ok(channel) = regulation.channel(&case.intake.channel) else {
            return false;
        };
        case.steps.iter().any(|step| {
            channel
                .steps
                .get(step.index)
                .is_some_and(|s| s.roles.contains(&self.role))
        })
    }
}

impl Service {
    /// What `actor` sees.
    pub fn scope(&self, actor: &Actor) -> Scope {
        let offices = self
            .config()
            .staff_member(&actor.staff_id)
            .and_then(|s| s.offices.clone())
            .unwrap_or_else(|| vec![actor.office.clone()]);
        let channel = self
            .config()
            .office(&actor.office)
            .map(|o| o.channel.clone())
            .unwrap_or_default();
        Scope {
            offices,
            channel,
            role: actor.role.clone(),
        }
    }

    /// A case by reference, if `actor` may see it; one out of scope is "not found", so its
    /// existence is not told either.
    /// A number written with leading zeros ("000002", as printed on the receipt) is first read
    /// as the end of a receipt number of the actor's office this year, then as a case number.
    pub(super) fn find_for(&self, actor: &Actor, reference: &str) -> Result<Case, ServiceError> {
        let case = match self.find_by_receipt_digits(actor, reference)? {
            Some(case) => case,
            None => self.find(reference)?,
        };
        if self.scope(actor).sees(self.regulation(), &case) {
            Ok(case)
        } else {
            Err(ServiceError::NotFound(reference.to_string()))
        }
    }

    fn find_by_receipt_digits(
        &self,
        actor: &Actor,
        reference: &str,
    ) -> Result<Option<Case>, ServiceError> {
        let reference = reference.trim();
        let Some(seq) = reference
            .starts_with('0')
            .then(|| receipt_seq_of(reference))
            .flatten()
        else {
            return Ok(None);
        };
        let channel = self
            .config()
            .office(&actor.office)
            .map(|o| o.channel.clone())
            .unwrap_or_default();
        let receipt_no = ReceiptNo {
            office: actor.office.clone(),
            year: self.office_year(&channel, self.now()),
            seq,
        };
        Ok(self.store.case_by_receipt(&receipt_no.to_string())?)
    }
}

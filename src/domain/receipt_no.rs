//! Receipt numbers: gapless per office and year, written `ALM01-2026-000042`.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A receipt number: gapless per office and year, e.g. `ALM01-2026-000042`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ReceiptNo {
    pub office: String,
    pub year: i32,
    pub seq: u64,
}

impl fmt::Display for ReceiptNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-{:06}", self.office, self.year, self.seq)
    }
}

impl std::str::FromStr for ReceiptNo {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let err = || format!("`{text}` is not a receipt number (OFFICE-YEAR-NNNNNN)");
        let mut parts = text.trim().rsplitn(3, '-');
        let seq = parts.next().and_then(|s| s.parse().ok()).ok_or_else(err)?;
        let year = parts.next().and_then(|s| s.parse().ok()).ok_or_else(err)?;
        let office = parts.next().filter(|o| !o.is_empty()).ok_or_else(err)?;
        Ok(ReceiptNo {
            office: office.to_string(),
            year,
            seq,
        })
    }
}

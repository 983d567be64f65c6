//! Clerks' drafts in PostgreSQL: one row per clerk and slot (a ticket, or `''` for the form
//! without one), so every form a clerk has open survives a dropped link.

use postgres::Client;

use crate::domain::intake::{sort_drafts, Draft, MAX_KEPT_DRAFTS};
use crate::store::{EngineKind, StoreError};

/// Schema version 2: drafts keyed by clerk and slot. A row of version 1 (one per clerk) takes
/// the slot of its own ticket.
pub const MIGRATION: (i32, &str, &str) = (
    2,
    "drafts per clerk and slot",
    r#"
    ALTER TABLE drafts ADD COLUMN slot text NOT NULL DEFAULT '';
    UPDATE drafts SET slot = coalesce(draft::json ->> 'ticket', '');
    ALTER TABLE drafts DROP CONSTRAINT drafts_pkey;
    ALTER TABLE drafts ADD PRIMARY KEY (staff_id, slot);
    "#,
);

pub fn save(client: &mut Client, staff_id: &str, draft: &Draft) -> Result<(), StoreError> {
    let text = serde_json::to_string(draft)
        .map_err(|e| StoreError::inconsistent(EngineKind::Postgres, e.to_string()))?;
    let slot = draft.slot();
    let mut tx = client.transaction()?;
    // One save per clerk at a time, so two sessions cannot both take the last free slot.
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtext('frontdesk draft ' || $1))",
        &[&staff_id],
    )?;
    let others: i64 = tx
        .query_one(
            "SELECT count(*) FROM drafts WHERE staff_id = $1 AND slot <> $2",
            &[&staff_id, &slot],
        )?
        .get(0);
    if others >= MAX_KEPT_DRAFTS as i64 {
        return Err(StoreError::TooManyDrafts {
            limit: MAX_KEPT_DRAFTS,
        });
    }
    tx.execute(
        "INSERT INTO drafts (staff_id, slot, draft) VALUES ($1, $2, $3)
         ON CONFLICT (staff_id, slot) DO UPDATE SET draft = EXCLUDED.draft, saved_at = now()",
        &[&staff_id, &slot, &text],
    )?;
    tx.commit()?;
    Ok(())
}

pub fn drop(client: &mut Client, staff_id: &str, slot: &str) -> Result<(), StoreError> {
    client.execute(
        "DELETE FROM drafts WHERE staff_id = $1 AND slot = $2",
        &[&staff_id, &slot],
    )?;
    Ok(())
}

pub fn load(client: &mut Client, staff_id: &str) -> Result<Vec<Draft>, StoreError> {
    let rows = client.query("SELECT draft FROM drafts WHERE staff_id = $1", &[&staff_id])?;
    // A draft that does not parse (an older format) is typed again, as with sled.
    let mut drafts: Vec<Draft> = rows
        .iter()
        .filter_map(|row| serde_json::from_str(row.get::<_, &str>(0)).ok())
        .collect();
    sort_drafts(&mut drafts);
    Ok(drafts)
}

//! Case lists in SQL: the filters narrow the rows in the database; [`CaseQuery::matches`] and
//! the list order then decide in Rust, so the answers are those of every other engine.

use postgres::types::ToSql;
use postgres::Client;

use super::join;
use super::write::nanos;
use crate::codec::decode;
use crate::domain::case::{Case, CaseId, CaseState};
use crate::domain::query::{list_order, name_words, receipt_seq_of, CaseQuery};
use crate::store::StoreError;

/// A WHERE clause and its parameters, built filter by filter.
#[derive(Default)]
struct Filter {
    clauses: Vec<String>,
    params: Vec<Box<dyn ToSql + Sync>>,
}

impl Filter {
    /// Adds a parameter; returns its placeholder.
    fn param(&mut self, value: impl ToSql + Sync + 'static) -> String {
        self.params.push(Box::new(value));
        format!("${}", self.params.len())
    }
}

/// Whether the SQL answers `query` exactly (the limit may then be applied in the database).
fn build(query: &CaseQuery) -> (Filter, bool) {
    let mut filter = Filter::default();
    let mut exact = true;
    if let Some(ids) = &query.ids {
        let ids: Vec<i64> = ids
            .iter()
            .filter_map(|&id| i64::try_from(id).ok())
            .collect();
        let p = filter.param(ids);
        filter.clauses.push(format!("id = ANY({p})"));
    }
    if let Some(owner) = &query.owner {
        let p = filter.param(owner.as_str().to_string());
        filter.clauses.push(format!("{p} = ANY(owners)"));
    }
    if let Some(step) = &query.step {
        let p = filter.param(step.clone());
        filter.clauses.push(format!("step = {p}"));
    }
    if let Some(due) = query.due_before {
        let p = filter.param(nanos(due));
        filter.clauses.push(format!("deadline_ns < {p}"));
    }
    if let Some(from) = query.opened_from {
        let p = filter.param(nanos(from));
        filter.clauses.push(format!("opened_ns >= {p}"));
    }
    if let Some(to) = query.opened_to {
        let p = filter.param(nanos(to));
        filter.clauses.push(format!("opened_ns < {p}"));
    }
    if let Some(text) = query
        .search
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        if text.chars().all(|c| c.is_ascii_digit()) {
            let p = filter.param(text.to_string());
            // The last digits of a receipt number as printed ("000002", or "2").
            let receipt_end = match receipt_seq_of(text) {
                Some(seq) => {
                    let q = filter.param(format!("%-{seq:06}"));
                    format!(" OR receipt_no LIKE {q}")
                }
                None => String::new(),
            };
            filter.clauses.push(format!(
                "(starts_with(iin, {p}) OR starts_with(coalesce(representative_iin, ''), {p}) \
                 OR id::text = {p}{receipt_end})"
            ));
        } else {
            // A receipt number, or words each starting some word of a name. Letter case is
            // folded in Rust for names (as the index was written) and left to the final check
            // for receipts, so the SQL may let through a little more than it answers.
            exact = false;
            let receipt = filter.param(text.to_uppercase());
            let mut words = Vec::new();
            for word in name_words(text) {
                let p = filter.param(word);
                words.push(format!(
                    "EXISTS (SELECT 1 FROM unnest(name_words) w WHERE starts_with(w, {p}))"
                ));
            }
            let names = if words.is_empty() {
                "true".to_string()
            } else {
                words.join(" AND ")
            };
            filter
                .clauses
                .push(format!("(upper(receipt_no) = {receipt} OR ({names}))"));
        }
    }
    (filter, exact)
}

pub(crate) fn run(client: &mut Client, query: &CaseQuery) -> Result<Vec<Case>, StoreError> {
    let (mut filter, exact) = build(query);
    let mut sql = "SELECT state, intake FROM cases".to_string();
    if !filter.clauses.is_empty() {
        sql.push_str(" WHERE ");
        sql.push_str(&filter.clauses.join(" AND "));
    }
    // The list order: open cases by deadline, then closed ones; ties by number.
    sql.push_str(" ORDER BY deadline_ns IS NULL, deadline_ns, id");
    if exact && query.limit > 0 {
        let p = filter.param(query.limit as i64);
        sql.push_str(&format!(" LIMIT {p}"));
    }
    let params: Vec<&(dyn ToSql + Sync)> = filter.params.iter().map(|p| p.as_ref()).collect();
    let mut cases = Vec::new();
    for row in client.query(&sql, &params)? {
        let case = join(row.get(0), row.get(1))?;
        if query.matches(&case) {
            cases.push(case);
        }
    }
    cases.sort_by_key(list_order);
    if query.limit > 0 {
        cases.truncate(query.limit);
    }
    Ok(cases)
}

/// How many cases are read per round trip when scanning by number.
const BATCH: i64 = 2000;

pub(crate) fn for_each_state_in(
    client: &mut Client,
    from: CaseId,
    to: CaseId,
    want_whole: &dyn Fn(&CaseState) -> bool,
    f: &mut dyn FnMut(CaseState, Option<Case>),
) -> Result<(), StoreError> {
    let mut next = i64::try_from(from).unwrap_or(i64::MAX);
    let end = i64::try_from(to).unwrap_or(i64::MAX);
    while next < end {
        let rows = client.query(
            "SELECT id, state FROM cases WHERE id >= $1 AND id < $2 ORDER BY id LIMIT $3",
            &[&next, &end, &BATCH],
        )?;
        let Some(last) = rows.last() else {
            break;
        };
        next = last.get::<_, i64>(0) + 1;
        let states: Vec<CaseState> = rows
            .iter()
            .map(|row| decode(row.get(1)))
            .collect::<Result<_, _>>()?;
        // Intakes only of the cases wanted whole (the open ones, say): most are closed.
        let wanted: Vec<i64> = states
            .iter()
            .filter(|s| want_whole(s))
            .map(|s| s.id as i64)
            .collect();
        let mut intakes = std::collections::HashMap::new();
        if !wanted.is_empty() {
            for row in client.query(
                "SELECT id, intake FROM cases WHERE id = ANY($1)",
                &[&wanted],
            )? {
                intakes.insert(row.get::<_, i64>(0) as CaseId, row.get::<_, Vec<u8>>(1));
            }
        }
        for state in states {
            let whole = match intakes.remove(&state.id) {
                Some(intake) => Some(state.clone().join(decode(&intake)?)),
                None => None,
            };
            f(state, whole);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::query::OwnerKey;

    #[test]
    fn filters_become_clauses_and_only_exact_ones_take_the_limit_to_sql() {
        let (filter, exact) = build(&CaseQuery {
            owner: Some(OwnerKey::role("head")),
            step: Some("P2".into()),
            search: Some("8701".into()),
            limit: 5,
            ..CaseQuery::default()
        });
        assert!(exact);
        assert_eq!(filter.clauses.len(), 3);
        // Digits: an IIN's start, a case number, or the last digits of a receipt number.
        assert_eq!(filter.params.len(), 4);
        assert!(filter.clauses[2].contains("starts_with(iin, $3)"));
        assert!(filter.clauses[2].contains("receipt_no LIKE $4"));
        // Words of a name: a receipt test and one clause per word; checked again in Rust.
        let (filter, exact) = build(&CaseQuery {
            search: Some("Әсел Нұр".into()),
            ..CaseQuery::default()
        });
        assert!(!exact);
        assert_eq!(filter.params.len(), 3);
        assert_eq!(filter.clauses[0].matches("EXISTS").count(), 2);
        // Separators only: every name matches, as in `CaseQuery::matches`.
        let (filter, _) = build(&CaseQuery {
            search: Some(" - ".into()),
            ..CaseQuery::default()
        });
        assert!(filter.clauses[0].ends_with("OR (true))"));
    }

    #[test]
    fn instants_keep_their_order_as_nanoseconds_and_saturate_far_out() {
        let early = chrono::DateTime::parse_from_rfc3339("2026-11-25T10:00:00.000000001Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let later = early + chrono::Duration::nanoseconds(1);
        assert!(nanos(early) < nanos(later));
        assert_eq!(nanos(chrono::DateTime::<chrono::Utc>::MAX_UTC), i64::MAX);
        assert_eq!(nanos(chrono::DateTime::<chrono::Utc>::MIN_UTC), i64::MIN);
    }

    #[test]
    fn a_store_url_is_described_without_its_password() {
        let config =
            super::super::parse_url("postgresql://clerk:secret@db.oblast/frontdesk").unwrap();
        let text = super::super::describe(&config);
        assert!(
            text.contains("db.oblast") && text.contains("frontdesk"),
            "{text}"
        );
        assert!(!text.contains("secret"));
        assert!(super::super::parse_url("not a url").is_err());
    }
}

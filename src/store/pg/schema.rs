//! The PostgreSQL schema and its versions: each migration is applied once, in order, and
//! recorded in `schema_version`, under a lock so that daemons starting together do not race.

use postgres::GenericClient;

/// Every migration, oldest first. A released one is never edited: a change is a new one.
pub const MIGRATIONS: &[(i32, &str, &str)] = &[
    (
        1,
        "events, case projections, receipt counters, drafts",
        r#"
    -- The event log. `seq` orders every event of the oblast; `(office, office_seq)` is the
    -- place in its office's hash chain (gapless: taken under the chain head's row lock).
    CREATE TABLE events (
        seq         bigserial PRIMARY KEY,
        office      text   NOT NULL,
        office_seq  bigint NOT NULL,
        case_id     bigint NOT NULL,
        -- The request that wrote it: a retried request finds its event instead of writing twice.
        request_id  text UNIQUE,
        -- The daemon that wrote it, so that its own listener does not announce it twice.
        writer      text   NOT NULL,
        record      bytea  NOT NULL,
        prev_hash   bytea  NOT NULL,
        hash        bytea  NOT NULL,
        -- Where a migrated event came from: the site's journal, its record number and hash.
        origin      text,
        origin_seq  bigint,
        origin_hash bytea,
        UNIQUE (office, office_seq),
        UNIQUE (origin, origin_seq)
    );
    CREATE INDEX events_by_case ON events (case_id, seq);

    CREATE TABLE chain_heads (
        office    text PRIMARY KEY,
        last_seq  bigint NOT NULL,
        last_hash bytea  NOT NULL
    );

    -- Case numbers for every daemon of the oblast.
    CREATE SEQUENCE case_ids;

    -- One row per case: the state (rewritten at every event), the intake (written once), and
    -- the columns lists filter on. Instants are nanoseconds since 1970, so that comparisons and
    -- order are exactly those of the other engines.
    CREATE TABLE cases (
        id                 bigint PRIMARY KEY,
        office             text   NOT NULL,
        receipt_no         text   NOT NULL UNIQUE,
        state              bytea  NOT NULL,
        intake             bytea  NOT NULL,
        step               text,
        owners             text[] NOT NULL,
        deadline_ns        bigint,
        opened_ns          bigint NOT NULL,
        iin                text   NOT NULL,
        representative_iin text,
        name_words         text[] NOT NULL
    );
    CREATE INDEX cases_by_deadline ON cases (deadline_ns, id) WHERE deadline_ns IS NOT NULL;
    CREATE INDEX cases_by_owner ON cases USING gin (owners);
    CREATE INDEX cases_by_step ON cases (step) WHERE step IS NOT NULL;
    CREATE INDEX cases_by_opened ON cases (opened_ns);
    CREATE INDEX cases_by_iin ON cases (iin text_pattern_ops);
    CREATE INDEX cases_by_office ON cases (office);

    -- The last receipt number of each office and year: locked while a number is taken.
    CREATE TABLE receipt_counters (
        office text    NOT NULL,
        year   integer NOT NULL,
        last   bigint  NOT NULL,
        PRIMARY KEY (office, year)
    );

    CREATE TABLE drafts (
        staff_id text PRIMARY KEY,
        draft    text NOT NULL,
        saved_at timestamptz NOT NULL DEFAULT now()
    );
    "#,
    ),
    super::drafts::MIGRATION,
];

#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    #[error(transparent)]
    Database(#[from] postgres::Error),
    #[error("the database's schema is version {found}, newer than this frontdesk knows ({known}); upgrade frontdesk on this server")]
    Newer { found: i32, known: i32 },
}

/// The newest version this build knows.
pub fn latest() -> i32 {
    MIGRATIONS.last().map_or(0, |m| m.0)
}

/// The versions recorded in the database, oldest first (empty on a new database).
pub fn applied(client: &mut impl GenericClient) -> Result<Vec<i32>, postgres::Error> {
    let exists: bool = client
        .query_one("SELECT to_regclass('schema_version') IS NOT NULL", &[])?
        .get(0);
    if !exists {
        return Ok(Vec::new());
    }
    Ok(client
        .query("SELECT version FROM schema_version ORDER BY version", &[])?
        .iter()
        .map(|row| row.get(0))
        .collect())
}

/// Brings the schema up to date; returns the versions applied now.
pub fn migrate(client: &mut postgres::Client) -> Result<Vec<i32>, SchemaError> {
    let mut tx = client.transaction()?;
    // One migrating daemon at a time; the others wait, then find nothing left to do.
    tx.execute("SELECT pg_advisory_xact_lock(7237418)", &[])?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_version (
             version     integer PRIMARY KEY,
             description text NOT NULL,
             applied_at  timestamptz NOT NULL DEFAULT now()
         )",
    )?;
    let done = applied(&mut tx)?;
    if let Some(&found) = done.last() {
        if found > latest() {
            return Err(SchemaError::Newer {
                found,
                known: latest(),
            });
        }
    }
    let mut now_applied = Vec::new();
    for (version, description, sql) in MIGRATIONS {
        if done.contains(version) {
            continue;
        }
        tx.batch_execute(sql)?;
        tx.execute(
            "INSERT INTO schema_version (version, description) VALUES ($1, $2)",
            &[version, description],
        )?;
        now_applied.push(*version);
    }
    tx.commit()?;
    Ok(now_applied)
}

//! A fresh PostgreSQL database per test, on the cluster scripts/test.sh started
//! (FRONTDESK_TEST_PG_URL); without one, the PostgreSQL tests are skipped, loudly.

use std::sync::atomic::{AtomicU32, Ordering};

/// The test cluster's URL, or `None` (with a note on stderr) when there is none.
pub fn cluster_url() -> Option<String> {
    match std::env::var("FRONTDESK_TEST_PG_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            eprintln!(
                "no PostgreSQL test cluster (FRONTDESK_TEST_PG_URL unset): run scripts/test.sh"
            );
            None
        }
    }
}

/// `url` with its database replaced by `database`.
pub fn with_database(url: &str, database: &str) -> String {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let authority_end = base
        .find("://")
        .map(|i| i + 3)
        .and_then(|start| base[start..].find('/').map(|i| start + i))
        .unwrap_or(base.len());
    let mut out = format!("{}/{database}", &base[..authority_end]);
    if !query.is_empty() {
        out.push('?');
        out.push_str(query);
    }
    out
}

/// Creates an empty database and returns its URL.
pub fn fresh_database(url: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "fd_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos()
    );
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .unwrap();
    with_database(url, &name)
}

/// Held by the tests that take the cluster or a database away (a restart, an outage), so
/// that none of them sees another's fault as its own.
pub static FAULTS: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Holds [`FAULTS`], whether or not another fault test failed while holding it.
pub fn faults() -> std::sync::MutexGuard<'static, ()> {
    FAULTS.lock().unwrap_or_else(|e| e.into_inner())
}

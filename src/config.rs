//! The site configuration: offices, staff and their roles, printing, cache size.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::domain::case::Actor;
use crate::domain::{Lang, Regulation, Text};
use crate::source_error::{field_error, from_toml_error, FieldErrors};

/// The example configuration, also the configuration of a data directory without one.
pub const EXAMPLE_CONFIG_TOML: &str = include_str!("../data/config.example.toml");

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Office {
    pub code: String,
    pub name: Text,
    pub address: String,
    pub phone: String,
    /// The channel this office's counters serve.
    pub channel: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Staff {
    pub id: String,
    pub name: String,
    pub role: String,
    pub office: String,
    /// OS login of this person; defaults to `id`.
    pub os_user: Option<String>,
    /// The number of this person's counter on the hall board.
    #[serde(default)]
    pub counter: Option<u32>,
    /// The offices whose cases this person sees (a supervisor over several); defaults to their
    /// own office.
    #[serde(default)]
    pub offices: Option<Vec<String>>,
}

impl Staff {
    pub fn actor(&self) -> Actor {
        Actor {
            staff_id: self.id.clone(),
            role: self.role.clone(),
            office: self.office.clone(),
        }
    }
}

/// Where the cases are kept: the data directory's sled database unless `url` names a
/// PostgreSQL database shared with other daemons.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreConfig {
    /// `postgresql://USER@HOST/DATABASE` (a password belongs in ~/.pgpass, not here).
    pub url: Option<String>,
}

fn default_cache_mb() -> u64 {
    8
}
fn default_print_command() -> String {
    "lp".into()
}
fn default_print_timeout() -> u64 {
    30
}
fn default_receipt_width() -> usize {
    42
}

/// How much the daemon lets its peers hold (`[daemon]` in the configuration).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DaemonLimits {
    /// Connections held at once, all users together.
    pub max_connections: usize,
    /// Connections one OS user (one clerk's screens and scripts) may hold at once.
    pub max_connections_per_user: usize,
    /// Seconds a new connection has to say hello, in total.
    pub hello_timeout_secs: u64,
}

impl Default for DaemonLimits {
    fn default() -> DaemonLimits {
        DaemonLimits {
            max_connections: 512,
            max_connections_per_user: 64,
            hello_timeout_secs: 5,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default = "default_cache_mb")]
    pub cache_capacity_mb: u64,
    #[serde(default = "default_print_command")]
    pub print_command: String,
    /// A print command still running after this many seconds is stopped.
    #[serde(default = "default_print_timeout")]
    pub print_timeout_seconds: u64,
    #[serde(default = "default_receipt_width")]
    pub receipt_width: usize,
    #[serde(default)]
    pub language: Lang,
    pub default_staff: Option<String>,
    pub regulation: Option<PathBuf>,
    pub calendar: Option<PathBuf>,
    pub offices: Vec<Office>,
    pub staff: Vec<Staff>,
    #[serde(default)]
    pub store: StoreConfig,
    #[serde(default)]
    pub daemon: DaemonLimits,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentityError {
    #[error(
        "`{0}` is not on the staff list of the configuration; ask the administrator to add you"
    )]
    Unknown(String),
}

impl Config {
    pub fn parse(file: &str, source: &str) -> Result<Config, FieldErrors> {
        toml::from_str(source).map_err(|e| FieldErrors(vec![from_toml_error(file, source, &e)]))
    }

    /// Checks the references between the configuration and the regulation.
    pub fn validate(
        &self,
        file: &str,
        source: &str,
        regulation: &Regulation,
    ) -> Result<(), FieldErrors> {
        let mut errors = Vec::new();
        let mut error =
            |path: String, message: String| errors.push(field_error(file, source, &path, message));
        if !crate::domain::receipt::PAPER_WIDTHS.contains(&self.receipt_width) {
            error(
                "receipt_width".into(),
                format!(
                    "{} is not a paper width: use 42 (roll) or 80 (page)",
                    self.receipt_width
                ),
            );
        }
        if self.daemon.hello_timeout_secs == 0 || self.daemon.hello_timeout_secs > 60 {
            error(
                "daemon.hello_timeout_secs".into(),
                format!(
                    "{} is not a sensible hello deadline: use 1 to 60 seconds",
                    self.daemon.hello_timeout_secs
                ),
            );
        }
        if self.daemon.max_connections == 0 || self.daemon.max_connections_per_user == 0 {
            error(
                "daemon".into(),
                "connection limits must be at least 1".into(),
            );
        }
        for (i, office) in self.offices.iter().enumerate() {
            if office.code.trim().is_empty() || office.code.contains(char::is_whitespace) {
                error(
                    format!("offices[{i}].code"),
                    "must be a code without spaces, e.g. ALM01".into(),
                );
            }
            if self.offices[..i].iter().any(|o| o.code == office.code) {
                error(
                    format!("offices[{i}].code"),
                    format!("`{}` is used twice", office.code),
                );
            }
            if regulation.channel(&office.channel).is_err() {
                error(
                    format!("offices[{i}].channel"),
                    format!("unknown channel `{}`", office.channel),
                );
            }
        }
        for (i, staff) in self.staff.iter().enumerate() {
            if self.staff[..i].iter().any(|s| s.id == staff.id) {
                error(
                    format!("staff[{i}].id"),
                    format!("`{}` is used twice", staff.id),
                );
            }
            if regulation.role(&staff.role).is_none() {
                error(
                    format!("staff[{i}].role"),
                    format!("unknown role `{}`", staff.role),
                );
            }
            if !self.offices.iter().any(|o| o.code == staff.office) {
                error(
                    format!("staff[{i}].office"),
                    format!("unknown office `{}`", staff.office),
                );
            }
            for (j, office) in staff.offices.iter().flatten().enumerate() {
                if !self.offices.iter().any(|o| o.code == *office) {
                    error(
                        format!("staff[{i}].offices[{j}]"),
                        format!("unknown office `{office}`"),
                    );
                }
            }
        }
        if let Some(default) = &self.default_staff {
            if !self.staff.iter().any(|s| s.id == *default) {
                error(
                    "default_staff".into(),
                    format!("`{default}` is not on the staff list"),
                );
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(FieldErrors(errors))
        }
    }

    pub fn office(&self, code: &str) -> Option<&Office> {
        self.offices.iter().find(|o| o.code == code)
    }

    pub fn staff_member(&self, id: &str) -> Option<&Staff> {
        self.staff.iter().find(|s| s.id == id)
    }

    /// The staff member an OS login maps to.
    pub fn staff_for_os_user(&self, user: &str) -> Option<&Staff> {
        self.staff
            .iter()
            .find(|s| s.os_user.as_deref().unwrap_or(&s.id) == user)
    }

    /// Who runs a command: `--as` if given, else the OS user, else the configured default.
    pub fn identify(
        &self,
        explicit: Option<&str>,
        os_user: Option<&str>,
    ) -> Result<&Staff, IdentityError> {
        if let Some(id) = explicit {
            return self
                .staff_member(id)
                .ok_or_else(|| IdentityError::Unknown(id.to_string()));
        }
        if let Some(staff) = os_user.and_then(|u| self.staff_for_os_user(u)) {
            return Ok(staff);
        }
        self.default_staff
            .as_deref()
            .and_then(|id| self.staff_member(id))
            .ok_or_else(|| IdentityError::Unknown(os_user.unwrap_or("(unknown user)").to_string()))
    }
}

/// The data directory: `--data`, else `$XDG_DATA_HOME/frontdesk`, else `~/.local/share/frontdesk`.
pub fn default_data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
        return Path::new(&dir).join("frontdesk");
    }
    match std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        Some(home) => Path::new(&home).join(".local/share/frontdesk"),
        None => PathBuf::from("frontdesk-data"),
    }
}

pub fn config_path(data_dir: &Path) -> PathBuf {
    data_dir.join("config.toml")
}

/// The file that marks a data directory as one for training: its clock may be set (`--now`) and
/// its receipts say so.
pub const TRAINING_MARKER: &str = "TRAINING";

/// Whether `data_dir` was created for training (`frontdesk init --training`, or generated
/// cases).
pub fn is_training(data_dir: &Path) -> bool {
    data_dir.join(TRAINING_MARKER).exists()
}

/// Marks `data_dir` as a training directory (the file is created owner-only).
pub fn mark_training(data_dir: &Path) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(true)
        .write(true)
        .mode(0o600)
        .open(data_dir.join(TRAINING_MARKER))?;
    file.write_all(
        b"This data directory is for training: its clock may be set and its receipts say TRAINING.\n",
    )
}

/// The OS login of this process.
pub fn os_user() -> Option<String> {
    std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .ok()
        .filter(|u| !u.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_is_valid() {
        let regulation = Regulation::default_embedded();
        let config = Config::parse("example", EXAMPLE_CONFIG_TOML).unwrap();
        config
            .validate("example", EXAMPLE_CONFIG_TOML, &regulation)
            .unwrap();
        assert_eq!(config.identify(Some("head"), None).unwrap().role, "head");
        assert_eq!(config.identify(None, Some("nobody")).unwrap().id, "clerk");
        assert!(config.identify(Some("nobody"), None).is_err());
    }

    #[test]
    fn a_bad_role_is_named_with_its_line() {
        let regulation = Regulation::default_embedded();
        let source = EXAMPLE_CONFIG_TOML.replacen("role = \"head\"", "role = \"boss\"", 1);
        let config = Config::parse("c.toml", &source).unwrap();
        let errors = config.validate("c.toml", &source, &regulation).unwrap_err();
        let line = source.lines().position(|l| l == "role = \"boss\"").unwrap() + 1;
        assert_eq!(
            errors.0[0].to_string(),
            format!("c.toml:{line}: staff[1].role: unknown role `boss`")
        );
    }
}

//! A site's files: the configuration, the regulation and the holiday calendar, loaded and
//! cross-checked, with the embedded defaults where a file is absent.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::calendar::{default_holidays, HolidayCalendar, HolidayData};
use crate::config::{config_path, Config, EXAMPLE_CONFIG_TOML};
use crate::domain::regulation::DEFAULT_REGULATION_TOML;
use crate::domain::Regulation;
use crate::source_error::{field_error, from_toml_error, FieldErrors};
use crate::store::StoreOptions;

/// Where the site's files are and which to use instead of the embedded defaults.
#[derive(Debug, Clone, Default)]
pub struct SiteOptions {
    pub data_dir: PathBuf,
    pub regulation: Option<PathBuf>,
    pub calendar: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("{0}")]
    Files(#[from] FieldErrors),
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
}

/// The configuration, regulation and holidays of a site, loaded and cross-checked.
pub struct Site {
    pub config: Config,
    pub regulation: Arc<Regulation>,
    /// The regulation and calendar files as read, for clients of a daemon to parse alike.
    pub sources: SiteSources,
    /// A training data directory: receipts say so, and the clock may be set.
    pub training: bool,
}

/// The text of the site's regulation and calendar (`None`: the embedded one).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteSources {
    pub regulation: Option<String>,
    pub calendar: Option<String>,
}

impl SiteSources {
    /// Parses the regulation the way the daemon did.
    pub fn regulation(&self) -> Result<Regulation, FieldErrors> {
        let holidays = match &self.calendar {
            Some(source) => Arc::new(load_holidays("daemon's calendar", source)?),
            None => default_holidays(),
        };
        match &self.regulation {
            Some(source) => Regulation::parse("daemon's regulation", source, holidays),
            None => Regulation::parse("embedded regulation", DEFAULT_REGULATION_TOML, holidays),
        }
    }
}

/// Reads a site file, naming it when it cannot be read.
pub fn read(path: &Path) -> Result<String, SetupError> {
    std::fs::read_to_string(path).map_err(|source| SetupError::Read {
        path: path.display().to_string(),
        source,
    })
}

/// Parses and validates a holiday calendar file.
pub fn load_holidays(name: &str, source: &str) -> Result<HolidayCalendar, FieldErrors> {
    let data: HolidayData =
        toml::from_str(source).map_err(|e| FieldErrors(vec![from_toml_error(name, source, &e)]))?;
    let problems = data.validate();
    if !problems.is_empty() {
        return Err(FieldErrors(
            problems
                .into_iter()
                .map(
                    |crate::calendar::HolidayDataError::Invalid { path, message }| {
                        field_error(name, source, &path, message)
                    },
                )
                .collect(),
        ));
    }
    Ok(HolidayCalendar::new(&data))
}

impl Site {
    /// How the store is opened for this site: its cache size, every write durable.
    pub fn store_options(&self) -> StoreOptions {
        StoreOptions {
            cache_capacity: self.config.cache_capacity_mb.max(1) * 1024 * 1024,
            durable: true,
        }
    }

    /// Loads the data directory's configuration (or the embedded example when there is none),
    /// then the regulation and calendar: command-line files first, then the configuration's,
    /// then the embedded ones.
    pub fn load(options: &SiteOptions) -> Result<Site, SetupError> {
        let path = config_path(&options.data_dir);
        let (config_name, config_source) = if path.exists() {
            (path.display().to_string(), read(&path)?)
        } else {
            (
                "embedded configuration".to_string(),
                EXAMPLE_CONFIG_TOML.to_string(),
            )
        };
        let config = Config::parse(&config_name, &config_source)?;
        let mut sources = SiteSources::default();
        let holidays = match options.calendar.as_ref().or(config.calendar.as_ref()) {
            Some(path) => {
                let source = read(path)?;
                let holidays = Arc::new(load_holidays(&path.display().to_string(), &source)?);
                sources.calendar = Some(source);
                holidays
            }
            None => default_holidays(),
        };
        let regulation = match options.regulation.as_ref().or(config.regulation.as_ref()) {
            Some(path) => {
                let source = read(path)?;
                let regulation = Regulation::parse(&path.display().to_string(), &source, holidays)?;
                sources.regulation = Some(source);
                regulation
            }
            None => Regulation::parse("embedded regulation", DEFAULT_REGULATION_TOML, holidays)?,
        };
        config.validate(&config_name, &config_source, &regulation)?;
        Ok(Site {
            config,
            regulation: Arc::new(regulation),
            sources,
            training: crate::config::is_training(&options.data_dir),
        })
    }
}

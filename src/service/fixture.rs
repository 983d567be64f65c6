//! Generates a store of realistic cases for benchmarks, demos and training.

use chrono::{DateTime, Duration, Utc};

use super::{Request, Service, ServiceError};
use crate::domain::case::Actor;
use crate::domain::iin::check_digit;
use crate::domain::intake::IntakeForm;
use crate::domain::lifecycle::CaseCommand;
use crate::domain::regulation::Action;

const NAMES: [&str; 8] = [
    "Әсел Нұрланқызы Серікбаева",
    "Данияр Ерланұлы Құрманов",
    "Айгүл Болатқызы Жұмабаева",
    "Нұрлан Сағатұлы Әбдірахманов",
    "Мария Ивановна Петрова",
    "Ғалым Төлеуұлы Оспанов",
    "Жанар Қайратқызы Мұқанова",
    "Ерболат Серікұлы Үсенов",
];

/// A valid IIN derived from `n` (born 1980–1999), distinct for distinct `n` below 10^4 per day.
pub fn iin_for(n: u64) -> String {
    let year = 80 + (n % 20);
    let month = 1 + (n / 20) % 12;
    let day = 1 + (n / 240) % 28;
    let mut serial = (n / 6720) % 10_000;
    loop {
        let text = format!("{year:02}{month:02}{day:02}3{serial:04}");
        let mut digits = [0u8; 11];
        for (d, b) in digits.iter_mut().zip(text.bytes()) {
            *d = b - b'0';
        }
        if let Some(check) = check_digit(&digits) {
            return format!("{text}{check}");
        }
        serial = (serial + 1) % 10_000;
    }
}

pub struct FixtureStaff {
    pub clerk: Actor,
    pub head: Actor,
    pub executor: Actor,
}

impl FixtureStaff {
    /// The first clerk, head and executor of a provider office in the configuration.
    pub fn from_config(config: &crate::config::Config) -> Result<FixtureStaff, String> {
        let first = |role: &str| {
            config
                .staff
                .iter()
                .find(|s| {
                    s.role == role
                        && config
                            .office(&s.office)
                            .is_some_and(|o| o.channel == "provider")
                })
                .map(|s| s.actor())
                .ok_or(format!("the configuration has no provider-office {role}"))
        };
        Ok(FixtureStaff {
            clerk: first("clerk")?,
            head: first("head")?,
            executor: first("executor")?,
        })
    }
}

/// What was generated.
#[derive(Debug, Default, Clone, Copy)]
pub struct FixtureSummary {
    pub cases: u64,
    pub open: u64,
    pub events: u64,
}

/// Accepts `total` provider cases, one every few working minutes back from `end`; all but the
/// last `open` are carried through the whole route to issue. The service's clock must be
/// [`super::Clock::Manual`].
pub fn generate(
    service: &Service,
    staff: &FixtureStaff,
    total: u64,
    open: u64,
    end: DateTime<Utc>,
    mut progress: impl FnMut(u64),
) -> Result<FixtureSummary, ServiceError> {
    let regulation = service.regulation();
    let measures = ["lifting-allowance", "housing-credit"];
    let step_seconds = 10 * 60;
    let start = end - Duration::seconds(step_seconds * total as i64);
    let mut summary = FixtureSummary::default();
    for n in 0..total {
        let opened = start + Duration::seconds(step_seconds * n as i64);
        service.clock().set(opened + Duration::minutes(7));
        let measure = measures[(n % 2) as usize];
        let form = IntakeForm {
            channel: "provider".into(),
            measures: vec![measure.into()],
            iin: iin_for(n),
            name: NAMES[(n % NAMES.len() as u64) as usize].to_string(),
            phone: format!("+7701{:07}", n % 10_000_000),
            sector: "education".into(),
            settlement: "Үшарал".into(),
            documents: regulation
                .required_documents(&[measure.to_string()], false)
                .unwrap_or_default(),
            ..IntakeForm::default()
        };
        let case = match service.execute(
            &staff.clerk,
            Request::Accept {
                draft: None,
                form,
                opened_at: Some(opened),
            },
        )? {
            super::Response::Case(case) => case,
            _ => continue,
        };
        summary.cases += 1;
        summary.events += 1;
        let mut at = opened + Duration::minutes(8);
        let mut act = |who: &Actor, command: CaseCommand| -> Result<(), ServiceError> {
            at += Duration::minutes(1);
            service.clock().set(at);
            let case = case.id.to_string();
            service.execute(who, Request::Act { case, command })?;
            summary.events += 1;
            Ok(())
        };
        let assign = CaseCommand::Act {
            action: Action::AssignExecutor,
            executor: Some(staff.executor.staff_id.clone()),
        };
        let step = |action| CaseCommand::Act {
            action,
            executor: None,
        };
        if n + open >= total {
            // Open cases stand at different steps: registered, assigned, or not yet registered.
            if n % 3 >= 1 {
                act(&staff.clerk, step(Action::Register))?;
            }
            if n % 3 >= 2 {
                act(&staff.head, assign)?;
            }
            summary.open += 1;
        } else {
            act(&staff.clerk, step(Action::Register))?;
            act(&staff.head, assign)?;
            act(
                &staff.executor,
                CaseCommand::RecordResult {
                    kind: "agreement".into(),
                    ground: None,
                },
            )?;
            act(&staff.executor, step(Action::SubmitForSignature))?;
            act(&staff.head, step(Action::Sign))?;
            act(&staff.clerk, step(Action::Issue))?;
        }
        progress(n + 1);
    }
    service.store().flush()?;
    Ok(summary)
}

/// A generated store in `dir` of `total` cases (`open` of them open) at `end`, made once and
/// reused by later runs (a marker file says it is complete). For benchmarks.
pub fn ensure_store(
    dir: &std::path::Path,
    total: u64,
    open: u64,
    end: DateTime<Utc>,
) -> Result<(), String> {
    let marker = dir.join("GENERATED");
    if marker.exists() {
        return Ok(());
    }
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    crate::config::mark_training(dir).map_err(|e| e.to_string())?;
    let site = super::Site::load(&super::SiteOptions {
        data_dir: dir.to_path_buf(),
        ..Default::default()
    })
    .map_err(|e| e.to_string())?;
    let staff = FixtureStaff::from_config(&site.config)?;
    let options = crate::store::StoreOptions {
        durable: false,
        ..site.store_options()
    };
    let service = Service::open_with(site, dir, super::Clock::manual(end), options)
        .map_err(|e| e.to_string())?;
    generate(&service, &staff, total, open, end, |n| {
        if n % 20_000 == 0 {
            eprintln!("  generated {n} cases");
        }
    })
    .map_err(|e| e.to_string())?;
    std::fs::write(marker, "complete").map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::iin::Iin;

    #[test]
    fn generated_iins_are_valid_and_distinct() {
        let mut seen = std::collections::HashSet::new();
        for n in 0..5000 {
            let iin = iin_for(n);
            assert!(Iin::parse(&iin).is_ok(), "{iin}");
            seen.insert(iin);
        }
        assert_eq!(seen.len(), 5000);
    }
}

//! `frontdesk regulation …`: validate an administrator's file, show the active route.

use std::path::PathBuf;

use clap::Subcommand;

use super::{print_json, read_file, Cli, CliResult};
use crate::domain::regulation::StepLimit;
use crate::domain::{Lang, Regulation};

#[derive(Debug, Subcommand)]
pub enum RegulationCommand {
    /// Validate a regulation file: every error with file, line and field.
    Check { file: PathBuf },
    /// Print the active regulation readably.
    Show {
        #[arg(long)]
        json: bool,
    },
}

pub fn run(cli: &Cli, command: &RegulationCommand) -> CliResult {
    match command {
        RegulationCommand::Check { file } => {
            let source = read_file(file)?;
            let regulation =
                Regulation::parse(&file.display().to_string(), &source, cli.holidays()?)?;
            let steps: usize = regulation.file.channels.iter().map(|c| c.steps.len()).sum();
            println!(
                "{}: valid; {} channels, {} steps, {} support measures",
                file.display(),
                regulation.file.channels.len(),
                steps,
                regulation.file.measures.len()
            );
            Ok(())
        }
        RegulationCommand::Show { json } => {
            let regulation = cli.regulation()?;
            if *json {
                return print_json(&regulation.file);
            }
            print!("{}", describe(&regulation, Lang::En));
            Ok(())
        }
    }
}

/// The regulation as an administrator reads it.
pub fn describe(regulation: &Regulation, lang: Lang) -> String {
    let file = &regulation.file;
    let mut out = String::new();
    out.push_str(&format!("{}\n\n", file.service.name.get(lang)));
    for channel in &file.channels {
        out.push_str(&format!(
            "Channel {} — {} (acceptance within {}, schedule {})\n",
            channel.id,
            channel.name.get(lang),
            channel.acceptance_window,
            channel.schedule
        ));
        for step in &channel.steps {
            let limit = match &step.limit {
                StepLimit::Fixed(d) => d.to_string(),
                StepLimit::PerMeasure(per) => per
                    .iter()
                    .map(|(m, d)| format!("{m} {d}"))
                    .collect::<Vec<_>>()
                    .join(", "),
            };
            out.push_str(&format!(
                "  {:<3} {:<16} {:<34} {:<22} {}\n",
                step.id,
                step.roles.join("/"),
                limit,
                step.finish.id(),
                step.name.get(lang)
            ));
        }
        out.push('\n');
    }
    for measure in &file.measures {
        out.push_str(&format!(
            "Documents for {} ({}):\n",
            measure.name.get(lang),
            measure.id
        ));
        for doc in &measure.documents {
            let name = regulation
                .document(doc)
                .map_or(doc.as_str(), |d| d.name.get(lang));
            out.push_str(&format!("  - {name}\n"));
        }
    }
    let poa = &file.service.representative_document;
    let poa_name = regulation
        .document(poa)
        .map_or(poa.as_str(), |d| d.name.get(lang));
    out.push_str(&format!("A representative adds: {poa_name}\n\n"));
    out.push_str("Sectors: ");
    out.push_str(
        &file
            .sectors
            .iter()
            .map(|s| s.name.get(lang))
            .collect::<Vec<_>>()
            .join(", "),
    );
    out.push_str("\nResults: ");
    out.push_str(
        &file
            .results
            .iter()
            .map(|r| r.name.get(lang))
            .collect::<Vec<_>>()
            .join("; "),
    );
    out.push_str("\nRefusal grounds (Art. 19-1):\n");
    for ground in &file.refusal_grounds {
        out.push_str(&format!("  - {}\n", ground.name.get(lang)));
    }
    out.push_str("Schedules:\n");
    for (id, schedule) in &file.schedules {
        out.push_str(&format!(
            "  {id}: {} {} ({})\n",
            schedule.days.join(","),
            schedule.hours.join(", "),
            schedule.time_zone
        ));
    }
    out
}

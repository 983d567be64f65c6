//! `frontdesk queue …`: the walk-in queue from a script or a ticket machine.

use clap::Subcommand;

use super::{print_json, Cli, CliError, CliResult};
use crate::service::{Request, Response};

#[derive(Debug, Subcommand)]
pub enum QueueCommand {
    /// Register an arrival (the next A### number unless --ticket gives one).
    Arrive {
        #[arg(long)]
        ticket: Option<String>,
        #[arg(long, default_value = "lifting-allowance")]
        measure: String,
        /// Channel (default: the one your office serves).
        #[arg(long)]
        channel: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Call the longest-waiting person to your counter.
    Call {
        #[arg(long)]
        json: bool,
    },
    /// Your office's queue.
    List {
        #[arg(long)]
        json: bool,
    },
}

pub fn run(cli: &Cli, command: &QueueCommand) -> CliResult {
    let session = cli.session()?;
    let (request, json) = match command {
        QueueCommand::Arrive {
            ticket,
            measure,
            channel,
            json,
        } => (
            Request::RegisterArrival {
                ticket: ticket.clone(),
                channel: channel
                    .clone()
                    .unwrap_or_else(|| session.office_channel().to_string()),
                measure: measure.clone(),
            },
            *json,
        ),
        QueueCommand::Call { json } => (Request::CallNext, *json),
        QueueCommand::List { json } => (Request::Queue, *json),
    };
    match session.execute(request)? {
        Response::Ticket(ticket) if json => print_json(&ticket),
        Response::Ticket(Some(ticket)) => {
            println!("{}", ticket.number);
            Ok(())
        }
        Response::Ticket(None) => Err(CliError::Message("no one is waiting".into())),
        Response::Queue(tickets) if json => print_json(&tickets),
        Response::Queue(tickets) => {
            let now = session.now();
            for t in tickets {
                match t.called_at {
                    None => println!(
                        "{:<8} waiting {} min  {}",
                        t.number,
                        (now - t.arrived_at).num_minutes(),
                        t.measure
                    ),
                    Some(_) => println!(
                        "{:<8} called by {}",
                        t.number,
                        t.called_by.unwrap_or_default()
                    ),
                }
            }
            Ok(())
        }
        other => Err(CliError::Message(format!("unexpected answer {other:?}"))),
    }
}

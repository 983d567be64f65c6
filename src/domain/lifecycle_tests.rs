//! Every path through the route, the refusals of wrong roles and states, and the invariants of
//! random command sequences.

use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;

use super::case::*;
use super::intake::IntakeForm;
use super::lifecycle::*;
use super::regulation::{Action, Regulation};

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

fn actor(staff: &str, role: &str) -> Actor {
    Actor {
        staff_id: staff.into(),
        role: role.into(),
        office: "ALM01".into(),
    }
}

fn form(channel: &str, measure: &str, all_documents: bool) -> IntakeForm {
    let regulation = Regulation::default_embedded();
    let mut documents = regulation
        .required_documents(&[measure.to_string()], false)
        .unwrap();
    if !all_documents {
        documents.retain(|d| d != "address-certificate");
    }
    IntakeForm {
        channel: channel.into(),
        measures: vec![measure.into()],
        iin: "791028302728".into(),
        name: "Айнұр Сәрсенқызы".into(),
        documents,
        ..IntakeForm::default()
    }
}

fn receipt_no() -> super::receipt::ReceiptNo {
    "ALM01-2026-000001".parse().unwrap()
}

struct Run {
    regulation: Regulation,
    case: Case,
    now: DateTime<Utc>,
}

impl Run {
    fn open(channel: &str, measure: &str, clerk: &Actor, opened: &str) -> Run {
        let regulation = Regulation::default_embedded();
        let intake = form(channel, measure, true).validate(&regulation).unwrap();
        let opened = at(opened);
        let now = opened + Duration::minutes(12);
        let event = open_case(&regulation, clerk, intake, opened, now, receipt_no()).unwrap();
        let case = Case::apply(
            None,
            &EventRecord {
                case_id: 1,
                actor: clerk.clone(),
                at: now,
                event,
            },
        )
        .unwrap();
        Run {
            regulation,
            case,
            now,
        }
    }

    fn run(&mut self, who: &Actor, command: CaseCommand) -> Result<(), LifecycleError> {
        self.now += Duration::minutes(20);
        let event = decide(&self.regulation, &self.case, who, self.now, &command)?;
        let record = EventRecord {
            case_id: 1,
            actor: who.clone(),
            at: self.now,
            event,
        };
        self.case = Case::apply(Some(self.case.clone()), &record).unwrap();
        self.case.check_invariants().unwrap();
        Ok(())
    }

    fn step(&self) -> &str {
        self.case.current_step().map_or("-", |s| s.step_id.as_str())
    }
}

fn act(action: Action) -> CaseCommand {
    CaseCommand::Act {
        action,
        executor: None,
    }
}

#[test]
fn provider_route_end_to_end_with_rework() {
    let clerk = actor("ainur", "clerk");
    let head = actor("gulnar", "head");
    let executor = actor("daniyar", "executor");
    let mut run = Run::open(
        "provider",
        "lifting-allowance",
        &clerk,
        "2026-11-25T09:02:00+05:00",
    );
    assert_eq!(run.step(), "P1");
    assert_eq!(run.case.window.overrun_seconds, 0);
    run.run(&clerk, act(Action::Register)).unwrap();
    assert_eq!(run.step(), "P2");
    // The clerk cannot assign; the head must name someone.
    assert!(matches!(
        run.run(
            &clerk,
            CaseCommand::Act {
                action: Action::AssignExecutor,
                executor: Some("daniyar".into())
            }
        ),
        Err(LifecycleError::WrongRole { .. })
    ));
    assert_eq!(
        run.run(&head, act(Action::AssignExecutor)),
        Err(LifecycleError::ExecutorMissing)
    );
    run.run(
        &head,
        CaseCommand::Act {
            action: Action::AssignExecutor,
            executor: Some("daniyar".into()),
        },
    )
    .unwrap();
    assert_eq!(run.step(), "P3");
    let p3_deadline = run.case.current_step().unwrap().deadline;
    // Another executor cannot take the case.
    assert!(matches!(
        run.run(&actor("other", "executor"), act(Action::SubmitForSignature)),
        Err(LifecycleError::NotAssignee { .. })
    ));
    run.run(
        &executor,
        CaseCommand::RecordResult {
            kind: "agreement".into(),
            ground: None,
        },
    )
    .unwrap();
    run.run(&executor, act(Action::SubmitForSignature)).unwrap();
    assert_eq!(run.step(), "P4");
    assert!(matches!(
        run.run(&head, act(Action::Issue)),
        Err(LifecycleError::WrongStep { .. })
    ));
    run.run(
        &head,
        CaseCommand::ReturnForRework {
            reason: "check the diploma copy".into(),
        },
    )
    .unwrap();
    assert_eq!(run.step(), "P3");
    assert_eq!(
        run.case.current_step().unwrap().deadline,
        p3_deadline,
        "rework keeps the limit"
    );
    assert_eq!(
        run.case.current_step().unwrap().assignee.as_deref(),
        Some("daniyar")
    );
    run.run(&executor, act(Action::SubmitForSignature)).unwrap();
    run.run(&head, act(Action::Sign)).unwrap();
    assert_eq!(run.step(), "P5");
    run.run(&executor, act(Action::Issue)).unwrap();
    assert_eq!(run.case.status, CaseStatus::Completed);
    assert!(matches!(
        run.run(&head, act(Action::Sign)),
        Err(LifecycleError::Closed(_))
    ));
    let ids: Vec<_> = run.case.steps.iter().map(|s| s.step_id.as_str()).collect();
    assert_eq!(ids, ["P1", "P2", "P3", "P4", "P3", "P4", "P5"]);
}

#[test]
fn state_corporation_route_end_to_end() {
    let operator = actor("operator1", "operator");
    let clerk = actor("ainur", "clerk");
    let head = actor("gulnar", "head");
    let executor = actor("daniyar", "executor");
    let mut run = Run::open(
        "state-corp",
        "housing-credit",
        &operator,
        "2026-11-21T19:30:00+05:00",
    );
    // S1 is done by accepting; S2 is running.
    assert_eq!(run.case.steps[0].step_id, "S1");
    assert!(run.case.steps[0].finished_at.is_some());
    assert_eq!(run.step(), "S2");
    assert!(matches!(
        run.run(&clerk, act(Action::Register)),
        Err(LifecycleError::WrongRole { .. })
    ));
    run.run(&operator, act(Action::SendToProvider)).unwrap();
    run.run(&clerk, act(Action::Register)).unwrap();
    run.run(
        &head,
        CaseCommand::Act {
            action: Action::AssignExecutor,
            executor: Some("daniyar".into()),
        },
    )
    .unwrap();
    assert_eq!(
        run.run(
            &executor,
            CaseCommand::RecordResult {
                kind: "agreement".into(),
                ground: None
            }
        ),
        Err(LifecycleError::ResultNotForChannel {
            kind: "agreement".into(),
            channel: "state-corp".into()
        })
    );
    assert_eq!(
        run.run(
            &executor,
            CaseCommand::RecordResult {
                kind: "refusal".into(),
                ground: None
            }
        ),
        Err(LifecycleError::GroundMissing)
    );
    run.run(
        &executor,
        CaseCommand::RecordResult {
            kind: "refusal".into(),
            ground: Some("unreliable-data".into()),
        },
    )
    .unwrap();
    run.run(&executor, act(Action::SubmitForSignature)).unwrap();
    run.run(&head, act(Action::Sign)).unwrap();
    run.run(&clerk, act(Action::HandToStateCorp)).unwrap();
    run.run(&operator, act(Action::ReceiveResult)).unwrap();
    run.run(&operator, act(Action::Issue)).unwrap();
    assert_eq!(run.case.status, CaseStatus::Completed);
}

#[test]
fn signing_needs_a_recorded_result() {
    let clerk = actor("ainur", "clerk");
    let head = actor("gulnar", "head");
    let executor = actor("daniyar", "executor");
    let mut run = Run::open(
        "provider",
        "lifting-allowance",
        &clerk,
        "2026-11-25T09:02:00+05:00",
    );
    run.run(&clerk, act(Action::Register)).unwrap();
    run.run(
        &head,
        CaseCommand::Act {
            action: Action::AssignExecutor,
            executor: Some("daniyar".into()),
        },
    )
    .unwrap();
    run.run(&executor, act(Action::SubmitForSignature)).unwrap();
    assert_eq!(
        run.run(&head, act(Action::Sign)),
        Err(LifecycleError::ResultRequired("sign".into()))
    );
}

#[test]
fn a_deadline_the_calendar_cannot_count_refuses_the_command() {
    let regulation = Regulation::default_embedded();
    let clerk = actor("ainur", "clerk");
    let intake = form("provider", "lifting-allowance", true)
        .validate(&regulation)
        .unwrap();
    let opened = at("9999-12-01T10:00:00+05:00");
    let refused = open_case(
        &regulation,
        &clerk,
        intake,
        opened,
        opened + Duration::minutes(5),
        receipt_no(),
    );
    assert!(
        matches!(&refused, Err(LifecycleError::Uncountable(why)) if why.contains("outside the years")),
        "{refused:?}"
    );

    // A step whose 26 working days would end after the calendar's last year is refused, and the
    // case stays where it was (it is not given "00:00 left").
    let head = actor("gulnar", "head");
    let mut run = Run::open(
        "provider",
        "lifting-allowance",
        &clerk,
        "2100-12-28T10:00:00+05:00",
    );
    run.run(&clerk, act(Action::Register)).unwrap();
    let refused = run.run(
        &head,
        CaseCommand::Act {
            action: Action::AssignExecutor,
            executor: Some("daniyar".into()),
        },
    );
    assert!(
        matches!(&refused, Err(LifecycleError::Uncountable(why)) if why.contains("step P3") && why.contains("26wd")),
        "{refused:?}"
    );
    assert_eq!(run.step(), "P2");
}

#[test]
fn a_missing_document_refuses_to_accept_and_names_it() {
    let regulation = Regulation::default_embedded();
    let clerk = actor("ainur", "clerk");
    let intake = form("provider", "lifting-allowance", false)
        .validate(&regulation)
        .unwrap();
    let opened = at("2026-11-25T09:02:00+05:00");
    let event = open_case(
        &regulation,
        &clerk,
        intake,
        opened,
        opened + Duration::minutes(5),
        receipt_no(),
    )
    .unwrap();
    match event {
        CaseEvent::RefusedToAccept { missing, .. } => assert_eq!(missing, ["address-certificate"]),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_overrun_window_is_recorded_in_working_seconds() {
    let regulation = Regulation::default_embedded();
    let clerk = actor("ainur", "clerk");
    let intake = form("provider", "lifting-allowance", true)
        .validate(&regulation)
        .unwrap();
    // Opened 12:50: the 30-minute window runs 10 min to lunch, 20 min after: deadline 14:50.
    let opened = at("2026-11-25T12:50:00+05:00");
    let event = open_case(
        &regulation,
        &clerk,
        intake,
        opened,
        at("2026-11-25T15:00:00+05:00"),
        receipt_no(),
    )
    .unwrap();
    let CaseEvent::Accepted { window, .. } = event else {
        panic!()
    };
    assert_eq!(window.deadline, at("2026-11-25T14:50:00+05:00"));
    assert_eq!(window.overrun_seconds, 600);
}

#[test]
fn only_the_first_step_role_accepts() {
    let regulation = Regulation::default_embedded();
    let intake = form("state-corp", "lifting-allowance", true)
        .validate(&regulation)
        .unwrap();
    let now = at("2026-11-25T10:00:00+05:00");
    assert!(matches!(
        open_case(
            &regulation,
            &actor("ainur", "clerk"),
            intake,
            now,
            now,
            receipt_no()
        ),
        Err(LifecycleError::WrongRole { .. })
    ));
}

fn any_command() -> impl Strategy<Value = (usize, CaseCommand)> {
    let action = prop::sample::select(Action::ALL.to_vec());
    let executor = prop::option::of(prop::sample::select(vec![
        "daniyar".to_string(),
        "other".to_string(),
        " ".to_string(),
    ]));
    prop_oneof![
        6 => (0usize..6, action, executor).prop_map(|(who, action, executor)| (who, CaseCommand::Act { action, executor })),
        1 => (0usize..6, prop::sample::select(vec!["", "fix it"])).prop_map(|(who, r)| (who, CaseCommand::ReturnForRework { reason: r.into() })),
        2 => (0usize..6, prop::sample::select(vec!["agreement", "refusal", "queue", "notification", "bogus"]),
              prop::option::of(prop::sample::select(vec!["unreliable-data".to_string(), "nope".to_string()])))
            .prop_map(|(who, kind, ground)| (who, CaseCommand::RecordResult { kind: kind.into(), ground })),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_command_sequence_leaves_the_case_valid(
        sc in any::<bool>(),
        housing in any::<bool>(),
        start in 0i64..(3 * 365 * 86_400),
        commands in prop::collection::vec((any_command(), 0i64..(5 * 86_400)), 0..60),
    ) {
        let staff = [
            actor("ainur", "clerk"), actor("gulnar", "head"), actor("daniyar", "executor"),
            actor("other", "executor"), actor("operator1", "operator"), actor("sup", "supervisor"),
        ];
        let regulation = Regulation::default_embedded();
        let channel = if sc { "state-corp" } else { "provider" };
        let measure = if housing { "housing-credit" } else { "lifting-allowance" };
        let first = if sc { &staff[4] } else { &staff[0] };
        let intake = form(channel, measure, true).validate(&regulation).unwrap();
        let mut now = at("2024-01-01T00:00:00Z") + Duration::seconds(start);
        let event = open_case(&regulation, first, intake, now, now, receipt_no()).unwrap();
        let mut case = Case::apply(None, &EventRecord { case_id: 1, actor: first.clone(), at: now, event }).unwrap();
        case.check_invariants().map_err(TestCaseError::fail)?;
        for ((who, command), wait) in commands {
            // Some commands come with a clock that went back: they must be refused.
            now += Duration::seconds(wait - 3600);
            if let Ok(event) = decide(&regulation, &case, &staff[who], now, &command) {
                prop_assert!(now >= case.updated_at);
                let record = EventRecord { case_id: 1, actor: staff[who].clone(), at: now, event };
                case = Case::apply(Some(case), &record).unwrap();
            }
            case.check_invariants().map_err(TestCaseError::fail)?;
        }
    }
}

#[test]
fn a_receipt_is_voided_only_before_the_case_moves_on() {
    let clerk = actor("ainur", "clerk");
    let head = actor("gulnar", "head");
    let mut run = Run::open(
        "provider",
        "lifting-allowance",
        &clerk,
        "2026-11-25T09:02:00+05:00",
    );
    let print = decide_receipt(
        &run.regulation,
        &run.case,
        &clerk,
        run.now,
        &ReceiptCommand::Printed,
    )
    .unwrap();
    assert_eq!(print, CaseEvent::ReceiptPrinted { duplicate: false });
    let record = EventRecord {
        case_id: 1,
        actor: clerk.clone(),
        at: run.now,
        event: print,
    };
    run.case = Case::apply(Some(run.case.clone()), &record).unwrap();
    assert_eq!(
        decide_receipt(
            &run.regulation,
            &run.case,
            &clerk,
            run.now,
            &ReceiptCommand::Printed
        )
        .unwrap(),
        CaseEvent::ReceiptPrinted { duplicate: true }
    );
    assert_eq!(
        decide_receipt(
            &run.regulation,
            &run.case,
            &actor("d", "executor"),
            run.now,
            &ReceiptCommand::Void {
                reason: "typo".into()
            }
        ),
        Err(LifecycleError::NotAllowed {
            allowed: vec!["clerk".into(), "head".into()],
            role: "executor".into()
        })
    );
    let mut later = Run {
        regulation: run.regulation.clone(),
        case: run.case.clone(),
        now: run.now,
    };
    later.run(&clerk, act(Action::Register)).unwrap();
    assert_eq!(
        decide_receipt(
            &later.regulation,
            &later.case,
            &head,
            later.now,
            &ReceiptCommand::Void {
                reason: "typo".into()
            }
        ),
        Err(LifecycleError::TooLateToVoid)
    );
    let void = decide_receipt(
        &run.regulation,
        &run.case,
        &clerk,
        run.now,
        &ReceiptCommand::Void {
            reason: "name misspelt".into(),
        },
    )
    .unwrap();
    let record = EventRecord {
        case_id: 1,
        actor: clerk.clone(),
        at: run.now,
        event: void,
    };
    run.case = Case::apply(Some(run.case.clone()), &record).unwrap();
    run.case.check_invariants().unwrap();
    assert_eq!(
        run.case.status,
        CaseStatus::Voided {
            reason: "name misspelt".into()
        }
    );
    assert!(matches!(
        run.run(&clerk, act(Action::Register)),
        Err(LifecycleError::Closed(_))
    ));
}

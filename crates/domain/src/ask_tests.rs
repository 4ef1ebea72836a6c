use super::*;

fn needs(ward: Option<&str>) -> AskNeeds {
    AskNeeds {
        mission_id: 1,
        lever: Lever::Employment,
        ward: ward.map(str::to_owned),
    }
}

fn candidate(id: i64, name: &str) -> Candidate {
    Candidate {
        organisation_id: id,
        slug: name.to_lowercase().replace(' ', "-"),
        name: name.to_owned(),
        holds_lever: false,
        committed_to_mission: false,
        works_in_ward: false,
        stage: None,
        health: None,
        days_since_asked: None,
    }
}

fn points(m: &Match, factor: &str) -> i64 {
    m.factors
        .iter()
        .find(|f| f.factor == factor)
        .map(|f| f.points)
        .unwrap_or(i64::MIN)
}

#[test]
fn ranking_follows_the_weights_and_explains_each_factor() {
    let mut lever_only = candidate(1, "Lever Only");
    lever_only.holds_lever = true;
    let mut mission_ward = candidate(2, "Mission And Ward");
    mission_ward.committed_to_mission = true;
    mission_ward.works_in_ward = true;
    let mut everything = candidate(3, "Everything");
    everything.holds_lever = true;
    everything.committed_to_mission = true;
    everything.works_in_ward = true;
    everything.stage = Some(RelationshipStage::Active);
    everything.health = Some(Health::Good);
    let nothing = candidate(4, "Nothing");
    let mut at_risk = candidate(5, "At Risk");
    at_risk.health = Some(Health::AtRisk);

    let ranked = rank(
        &needs(Some("Kentish Town South")),
        &[nothing, lever_only, at_risk, mission_ward, everything],
        10,
    );
    let names: Vec<&str> = ranked.iter().map(|m| m.name.as_str()).collect();
    // 40+25+15+16+8 = 104; 40; 25+15 = 40 (tie broken by name); 0; -10.
    assert_eq!(
        names,
        [
            "Everything",
            "Lever Only",
            "Mission And Ward",
            "Nothing",
            "At Risk"
        ]
    );
    assert_eq!(
        ranked.iter().map(|m| m.score).collect::<Vec<_>>(),
        [104, 40, 40, 0, -10]
    );
    let best = &ranked[0];
    assert_eq!(points(best, "Lever"), weights::LEVER);
    assert_eq!(points(best, "Mission"), weights::MISSION);
    assert_eq!(points(best, "Ward"), weights::WARD);
    assert_eq!(points(best, "Stage"), 16);
    assert_eq!(points(best, "Health"), weights::HEALTH_GOOD);
    assert_eq!(points(best, "Ask fatigue"), 0);
    assert!(best.factors[0].reason.contains("Employment"));
    assert_eq!(
        best.score,
        best.factors.iter().map(|f| f.points).sum::<i64>()
    );
    assert!(ranked[3].factors.iter().all(|f| f.points == 0));
}

#[test]
fn no_ward_factor_when_the_ask_names_no_ward() {
    let mut c = candidate(1, "A");
    c.works_in_ward = true;
    let m = score(&needs(None), &c);
    assert!(m.factors.iter().all(|f| f.factor != "Ward"));
    assert_eq!(m.score, 0);
}

#[test]
fn a_partner_asked_yesterday_ranks_below_an_equal_partner_not_asked_for_months() {
    let mut yesterday = candidate(1, "Asked Yesterday");
    let mut months = candidate(2, "Asked Months Ago");
    for c in [&mut yesterday, &mut months] {
        c.holds_lever = true;
        c.stage = Some(RelationshipStage::Exploring);
        c.health = Some(Health::Good);
    }
    yesterday.days_since_asked = Some(1);
    months.days_since_asked = Some(150);
    let never = {
        let mut c = months.clone();
        c.organisation_id = 3;
        c.name = "Never Asked".to_owned();
        c.days_since_asked = None;
        c
    };
    // "Asked Yesterday" sorts first by name, so only fatigue can put it last.
    let ranked = rank(&needs(None), &[yesterday, months, never], 10);
    let names: Vec<&str> = ranked.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(
        names,
        ["Never Asked", "Asked Months Ago", "Asked Yesterday"]
    );
    assert_eq!(points(&ranked[2], "Ask fatigue"), -19);
    assert_eq!(points(&ranked[1], "Ask fatigue"), -3);
    assert_eq!(
        ranked[2].factors.last().map(|f| f.reason.as_str()),
        Some("Last asked yesterday")
    );
}

#[test]
fn fatigue_fades_to_nothing() {
    assert_eq!(fatigue_points(Some(0)), -weights::FATIGUE);
    assert_eq!(fatigue_points(Some(90)), -10);
    assert_eq!(fatigue_points(Some(FATIGUE_DAYS)), 0);
    assert_eq!(fatigue_points(Some(400)), 0);
    assert_eq!(fatigue_points(None), 0);
}

/// Every combination of facts, with names that tie and ids out of order.
fn every_candidate() -> Vec<Candidate> {
    let mut out = Vec::new();
    let stages = std::iter::once(None).chain(RelationshipStage::ALL.iter().copied().map(Some));
    for (s, stage) in stages.enumerate() {
        for (h, health) in std::iter::once(None)
            .chain(Health::ALL.iter().copied().map(Some))
            .enumerate()
        {
            for (d, days) in [None, Some(0), Some(1), Some(90), Some(400)]
                .into_iter()
                .enumerate()
            {
                for flags in 0..8 {
                    let id = i64::try_from(out.len()).unwrap_or_default();
                    let mut c = candidate(1_000 - id, &format!("Org {}", (s + h + d + flags) % 7));
                    c.stage = stage;
                    c.health = health;
                    c.days_since_asked = days;
                    c.holds_lever = flags & 1 != 0;
                    c.committed_to_mission = flags & 2 != 0;
                    c.works_in_ward = flags & 4 != 0;
                    out.push(c);
                }
            }
        }
    }
    out
}

#[test]
fn points_are_the_sum_of_the_factors_score_explains() {
    for ward in [None, Some("Kilburn")] {
        for c in every_candidate() {
            assert_eq!(
                super::points(&needs(ward), &c),
                score(&needs(ward), &c).score,
                "{c:?}"
            );
        }
    }
}

#[test]
fn ranking_keeps_the_best_as_a_full_sort_would() {
    let cs = every_candidate();
    for ward in [None, Some("Kilburn")] {
        let mut all: Vec<Match> = cs.iter().map(|c| score(&needs(ward), c)).collect();
        all.sort_by(|a, b| {
            b.score
                .cmp(&a.score)
                .then_with(|| a.name.cmp(&b.name))
                .then_with(|| a.organisation_id.cmp(&b.organisation_id))
        });
        for limit in [0, 1, 20, 50, cs.len(), cs.len() + 5] {
            let expected: Vec<Match> = all.iter().take(limit).cloned().collect();
            assert_eq!(rank(&needs(ward), &cs, limit), expected, "limit {limit}");
        }
    }
}

#[test]
fn rank_keeps_the_top_n() {
    let cs: Vec<Candidate> = (0..30)
        .map(|i| candidate(i, &format!("Org {i:02}")))
        .collect();
    assert_eq!(rank(&needs(None), &cs, 20).len(), 20);
}

fn fields(err: DomainError) -> Vec<String> {
    let DomainError::Invalid(errors) = err;
    errors.into_iter().map(|e| e.field).collect()
}

#[test]
fn an_ask_names_every_bad_field() {
    let form = AskForm {
        title: " ".into(),
        mission: "Not a slug".into(),
        lever: "bribery".into(),
        size_kind: "quantity".into(),
        quantity: "0".into(),
        status: "lost".into(),
        ..AskForm::default()
    };
    assert_eq!(
        fields(form.validate().unwrap_err()),
        ["title", "mission", "lever", "quantity", "unit", "status"]
    );
    let form = AskForm {
        size_kind: "pounds".into(),
        pounds: "lots".into(),
        ..valid()
    };
    assert_eq!(fields(form.validate().unwrap_err()), ["pounds"]);
    let form = AskForm {
        size_kind: String::new(),
        ..valid()
    };
    assert_eq!(fields(form.validate().unwrap_err()), ["size_kind"]);
}

fn valid() -> AskForm {
    AskForm {
        title: "Apprenticeship places".into(),
        description: "For young people in Kentish Town".into(),
        mission: "young-people".into(),
        lever: "employment".into(),
        ward: "Kentish Town South".into(),
        size_kind: "quantity".into(),
        quantity: "12".into(),
        unit: "apprenticeship places".into(),
        ..AskForm::default()
    }
}

#[test]
fn a_valid_ask_is_open_by_default() {
    let draft = valid().validate().expect("valid");
    assert_eq!(draft.status, AskStatus::Open);
    assert_eq!(draft.size.describe(), "12 apprenticeship places");
    let pounds = AskForm {
        size_kind: "pounds".into(),
        pounds: "£25,000".into(),
        ..valid()
    };
    assert_eq!(pounds.validate().expect("valid").size.describe(), "£25,000");
}

#[test]
fn an_ask_made_names_every_bad_field() {
    let form = AskMadeForm {
        organisation: "".into(),
        asked_on: "2026-02-30".into(),
        answer: "perhaps".into(),
        answered_on: "soon".into(),
        note: String::new(),
        version: None,
    };
    assert_eq!(
        fields(form.validate().unwrap_err()),
        ["organisation", "asked_on", "answer", "answered_on"]
    );
    let early = AskMadeForm {
        organisation: "unity-works".into(),
        asked_on: "2026-03-10".into(),
        answer: "yes".into(),
        answered_on: "2026-03-01".into(),
        note: "Private".into(),
        version: None,
    };
    assert_eq!(fields(early.validate().unwrap_err()), ["answered_on"]);
    let pending = AskMadeForm {
        answer: String::new(),
        answered_on: "2026-03-11".into(),
        ..early.clone()
    };
    assert_eq!(fields(pending.validate().unwrap_err()), ["answered_on"]);
    let ok = AskMadeForm {
        answered_on: "2026-03-12".into(),
        ..early
    }
    .validate()
    .expect("valid");
    assert_eq!(ok.answer, Answer::Yes);
    assert_eq!(ok.note.as_deref(), Some("Private"));
}

#[test]
fn days_between_counts_calendar_days() {
    assert_eq!(days_between("1970-01-01", "1970-01-02"), Some(1));
    assert_eq!(days_between("2024-02-28", "2024-03-01"), Some(2));
    assert_eq!(days_between("2025-12-31", "2026-01-01"), Some(1));
    assert_eq!(days_between("2026-03-01", "2026-01-01"), Some(-59));
    assert_eq!(days_between("2026-02-30", "2026-03-01"), None);
}

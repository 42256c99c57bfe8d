//! The demo: a community with realistic initiatives, and a pretend village
//! website on a second loopback port (another origin) that embeds widgets.

use mekaar_api::admin::Role;
use mekaar_api::polls::{Audience, PollAction, PollActionRequest, PollCreate, ResultsVisibility};
use mekaar_api::{
    AnswerPost, CommunityCreate, CommunityUpdate, InitiativeCreate, InitiativeEdit,
    InitiativeStatus,
};

use crate::abuse::{Abuse, Limits};
use crate::communities;
use crate::discussions::{Author, Discussions};
use crate::errors::ApiResult;
pub use crate::http::demo_site::serve_host_site;
use crate::initiatives;
use crate::moderation;
use crate::polls::{self, Tallies};
use crate::store::Store;

pub const DEMO_COMMUNITY: &str = "demodorp";

/// The demo's own sign-in tokens, one per console role, by label.
const DEMO_TOKENS: [(Role, &str); 3] = [
    (Role::Admin, "Demo admin"),
    (Role::Moderator, "Demo moderator"),
    (Role::PollEditor, "Demo poll editor"),
];

/// What the demo pages need to know.
#[derive(Debug, Clone)]
pub struct Seeded {
    /// The demo community's sign-in tokens, made at this start (an admin's, a moderator's
    /// and a poll editor's), to print: a newcomer who stops and restarts the demo can still
    /// sign in. The ones printed at an earlier start no longer work.
    pub new_tokens: Vec<(Role, String)>,
    /// Placeholders of the demo pages besides `{{MEKAAR_URL}}` (join codes).
    pub placeholders: Vec<(String, String)>,
}

/// The broadcaster's live poll (the omroep page, the overlay, the phone page).
pub const LIVE_POLL: &str = "omroep-live";
/// The municipality's poll that runs for a week.
pub const WEEK_POLL: &str = "gemeente-plein";

fn demo_polls(now: u64) -> [(&'static str, &'static str, PollCreate); 2] {
    [
        (
            LIVE_POLL,
            "LIVE_JOIN_CODE",
            PollCreate {
                question: "Moet de kermis terug naar het dorpsplein?".into(),
                options: vec![
                    "Ja, op het plein hoort de kermis".into(),
                    "Nee, laat hem op het sportpark".into(),
                    "Maakt mij niet uit".into(),
                ],
                max_choices: 1,
                opens_at: None,
                closes_at: None,
                results: ResultsVisibility::Always,
                audience: Audience::default(),
            },
        ),
        (
            WEEK_POLL,
            "WEEK_JOIN_CODE",
            PollCreate {
                question: "Wat moet er op het nieuwe plein bij de school komen? (kies er twee)"
                    .into(),
                options: vec![
                    "Bomen en bankjes".into(),
                    "Een speeltuin".into(),
                    "Een overdekte fietsenstalling".into(),
                    "Ruimte voor de weekmarkt".into(),
                ],
                max_choices: 2,
                opens_at: None,
                closes_at: Some(now + 7 * 24 * 3600),
                results: ResultsVisibility::AfterVote,
                audience: Audience::default(),
            },
        ),
    ]
}

struct DemoInitiative {
    id: &'static str,
    title: &'static str,
    summary: &'static str,
    story: &'static str,
    area: &'static str,
    theme: &'static str,
    status: InitiativeStatus,
    update: Option<&'static str>,
    answer: Option<&'static str>,
}

const INITIATIVES: &[DemoInitiative] = &[
    DemoInitiative {
        id: "aed-bij-de-kerk",
        title: "Een AED aan de muur van de kerk",
        summary: "Bij een hartstilstand telt elke minuut. Wij willen een AED die dag en nacht bereikbaar is, en een cursus reanimeren voor twintig buren.",
        story: "De dichtstbijzijnde AED hangt nu in het gemeentehuis, en dat is 's avonds dicht.\n\nDe kerk wil de muur aan het plein beschikbaar stellen. Een kast met verwarming kost ongeveer 2.000 euro; de Hartstichting helpt met de cursus. Meer informatie: https://www.hartstichting.nl/reanimatie",
        area: "Dorpskern",
        theme: "Veiligheid",
        status: InitiativeStatus::SeekingSupporters,
        update: Some("De kerkenraad heeft ja gezegd. Nu nog de kast en het stroompunt."),
        answer: None,
    },
    DemoInitiative {
        id: "moestuin-kloosterbuurt",
        title: "Buurtmoestuin op het braakliggende veld in de Kloosterbuurt",
        summary: "Samen groente kweken, oogst delen met de voedselbank en de school laten meedoen. We zoeken tuiniers en iemand met een aanhanger.",
        story: "Het veld achter de Kloosterstraat ligt al drie jaar braak. Met twaalf bakken, een watertappunt en een schuurtje kunnen we er een plek van maken waar buren elkaar ontmoeten.",
        area: "Kloosterbuurt",
        theme: "Groen",
        status: InitiativeStatus::InProgress,
        update: Some("De eerste zes bakken staan er. Zaterdag om 10 uur planten we aardappels."),
        answer: Some("De gemeente stelt het veld voor vijf jaar beschikbaar en betaalt het watertappunt. Neem contact op met de wijkregisseur voor de afspraken."),
    },
    DemoInitiative {
        id: "jeu-de-boules-dorpshuis",
        title: "Jeu-de-boulesbaan naast het dorpshuis",
        summary: "Een baan voor jong en oud, met een bankje en schaduw. De aannemer aan de Dorpsstraat helpt met zand en banden.",
        story: "",
        area: "Dorpskern",
        theme: "Sport en spel",
        status: InitiativeStatus::Idea,
        update: None,
        answer: None,
    },
    DemoInitiative {
        id: "bankjes-langs-de-dijk",
        title: "Bankjes langs het fietspad over de dijk",
        summary: "Voor wie slecht ter been is, is de dijk te lang zonder rustpunt. Drie bankjes met uitzicht over de uiterwaarden.",
        story: "",
        area: "Buitengebied",
        theme: "Samen",
        status: InitiativeStatus::Realised,
        update: Some("Alle drie de bankjes staan er, gemaakt van hout uit het eigen bos."),
        answer: None,
    },
];

/// Creates the demo community, its initiatives and polls if they do not
/// exist, and allows `origins` to embed it.
pub async fn seed(store: &Store, tallies: &Tallies, origins: &[String]) -> ApiResult<Seeded> {
    let mut new_tokens = Vec::new();
    // The token `create` makes for a new community: the demo's own replace it below.
    let mut first_admin = None;
    match communities::get(store, DEMO_COMMUNITY) {
        Ok(_) => {}
        Err(_) => {
            let (created, _) = communities::create(
                store,
                CommunityCreate {
                    slug: DEMO_COMMUNITY.into(),
                    name: "Demodorp voor Mekaar".into(),
                    languages: Some(vec!["nl".into(), "en".into()]),
                    allowed_origins: origins.to_vec(),
                    areas: vec![
                        "Dorpskern".into(),
                        "Kloosterbuurt".into(),
                        "Buitengebied".into(),
                    ],
                    themes: vec![
                        "Groen".into(),
                        "Veiligheid".into(),
                        "Sport en spel".into(),
                        "Samen".into(),
                    ],
                    support_threshold: Some(50),
                    moderation: None,
                    reports_before_hide: None,
                    initiatives_page: None,
                    mail_from: None,
                },
            )?;
            first_admin = created.tokens.first().map(|t| t.id.clone());
        }
    };
    let community = communities::update(
        store,
        DEMO_COMMUNITY,
        CommunityUpdate {
            allowed_origins: Some(origins.to_vec()),
            ..Default::default()
        },
    )?;
    // Fresh demo tokens at every start (the demo is for trying out, and a token is shown
    // only once): each new one is made before the old ones of its label are deleted, so the
    // community never lacks an admin token. Tokens someone made in the console stay.
    for (role, label) in DEMO_TOKENS {
        let (made, token) = communities::add_token(store, DEMO_COMMUNITY, role, label)?;
        let old = community.tokens.iter().filter(|t| {
            (t.label == label || Some(&t.id) == first_admin.as_ref()) && t.role == role
        });
        for t in old {
            if t.id != made.id {
                communities::delete_token(store, DEMO_COMMUNITY, &t.id)?;
            }
        }
        new_tokens.push((role, token));
    }
    for demo in INITIATIVES {
        if initiatives::get(store, &community, demo.id).is_ok() {
            continue;
        }
        initiatives::create_with_id(
            store,
            &community,
            demo.id,
            InitiativeCreate {
                title: demo.title.into(),
                summary: demo.summary.into(),
                area: Some(demo.area.into()),
                theme: Some(demo.theme.into()),
            },
        )?;
        initiatives::edit(
            store,
            &community,
            demo.id,
            InitiativeEdit {
                story: Some(demo.story.into()),
                status: Some(demo.status),
                ..Default::default()
            },
        )?;
        if let Some(update) = demo.update {
            initiatives::post_update(store, &community, demo.id, update)?;
        }
        if let Some(answer) = demo.answer {
            moderation::answer(
                store,
                &community,
                demo.id,
                AnswerPost {
                    text: answer.into(),
                    answered_by: "Gemeente Demodorp, team Leefomgeving".into(),
                },
                "demo",
            )?;
        }
    }
    seed_dialogue(store, &community).await?;
    seed_steps(store, &community)?;
    seed_meetings(store, &community, crate::secrets::now_secs())?;
    let mut placeholders = Vec::new();
    for (id, placeholder, input) in demo_polls(crate::secrets::now_secs()) {
        let poll = match polls::get(store, &community, id) {
            Ok(poll) => poll,
            Err(_) => {
                polls::create_with_id(store, &community, id, input, "demo")?;
                polls::act(
                    store,
                    tallies,
                    &community,
                    id,
                    PollActionRequest {
                        action: PollAction::Open,
                        round: None,
                    },
                    "demo",
                )?
            }
        };
        placeholders.push((placeholder.to_string(), poll.join_code));
    }
    store.flush_blocking()?;
    Ok(Seeded {
        new_tokens,
        placeholders,
    })
}

/// The way from idea to result, as a village like Baarlo lays it out, and
/// how far the demo initiatives are on it (once: an admin's edits stay).
fn seed_steps(store: &Store, community: &communities::Community) -> ApiResult<()> {
    use mekaar_api::steps::StepInput;
    if !community.steps.is_empty() {
        return Ok(());
    }
    let (_, steps) = crate::steps::replace(
        store,
        community,
        vec![
            StepInput {
                title: "Zoek 3 medestanders".into(),
                description: "Vraag buren, vrienden of de vereniging om mee te doen: met z'n vieren sta je sterker en verdeel je het werk.".into(),
                ..Default::default()
            },
            StepInput {
                title: "Meld je initiatief bij de dorpsraad".into(),
                description: "De dorpsraad denkt mee, kent de weg in de gemeente en zet je plan op de agenda van de volgende vergadering.".into(),
                unlock_status: Some(InitiativeStatus::SeekingSupporters),
                ..Default::default()
            },
            StepInput {
                title: "Vraag het leefbaarheidsbudget aan".into(),
                description: "De gemeente betaalt mee aan plannen die het dorp leefbaarder maken. Vraag het aan zodra je plan rond is.".into(),
                link: Some("https://www.demodorp.nl/leefbaarheidsbudget".into()),
                unlock_status: Some(InitiativeStatus::InProgress),
                ..Default::default()
            },
        ],
    )?;
    let community = communities::get(store, &community.slug)?;
    // How many of the steps each demo initiative did, in order.
    for (id, done) in [
        ("aed-bij-de-kerk", 1),
        ("moestuin-kloosterbuurt", 2),
        ("bankjes-langs-de-dijk", 3),
    ] {
        for step in steps.iter().take(done) {
            crate::steps::tick(store, &community, id, &step.id, true, "demo")?;
        }
    }
    Ok(())
}

/// A demo meeting, planned `days` from today at `hour` (Amsterdam).
#[derive(Clone, Copy)]
struct DemoMeeting {
    id: &'static str,
    initiative: &'static str,
    title: &'static str,
    days: u64,
    hour: u64,
    /// An address, or an `https://` link for an online meeting.
    place: &'static str,
    capacity: Option<u32>,
    /// How many residents already said "ik kom".
    attendees: u32,
    cancelled: bool,
}

/// The demo's meetings, seeded anew once they have ended.
const MEETINGS: [DemoMeeting; 3] = [
    DemoMeeting {
        id: "demo-moestuin-zaaidag",
        initiative: "moestuin-kloosterbuurt",
        title: "Zaaidag in de moestuin",
        days: 9,
        hour: 10,
        place: "Kloostertuin, achter de Kloosterstraat 12, Demodorp",
        capacity: Some(20),
        attendees: 18,
        cancelled: false,
    },
    DemoMeeting {
        id: "demo-aed-cursus",
        initiative: "aed-bij-de-kerk",
        title: "Reanimatiecursus met de AED",
        days: 16,
        hour: 19,
        place: "Dorpshuis De Schakel, Kerkstraat 4, Demodorp",
        capacity: None,
        attendees: 7,
        cancelled: false,
    },
    DemoMeeting {
        id: "demo-boules-overleg",
        initiative: "jeu-de-boules-dorpshuis",
        title: "Online overleg over de jeu-de-boulesbaan",
        days: 4,
        hour: 20,
        place: "https://meet.example.nl/demodorp-boules",
        capacity: None,
        attendees: 3,
        cancelled: true,
    },
];

/// Coming meetings on demo initiatives (one nearly full, one cancelled),
/// at times relative to `now`; a demo meeting that has ended is planned anew.
fn seed_meetings(store: &Store, community: &communities::Community, now: u64) -> ApiResult<()> {
    use crate::meetings::{self, StoredMeeting};
    let today = now - now % 86_400;
    for demo in &MEETINGS {
        let DemoMeeting {
            id,
            initiative,
            title,
            days,
            hour,
            place,
            capacity,
            attendees,
            cancelled,
        } = *demo;
        if meetings::stored(store, community, id).is_ok_and(|m| m.ends_at > now) {
            continue;
        }
        // Amsterdam is UTC+1 or +2: hour - 1 in UTC is close enough for a demo.
        let starts_at = today + days * 86_400 + (hour - 1) * 3600;
        let online = place.starts_with("https://");
        meetings::save(
            store,
            &StoredMeeting {
                id: id.into(),
                community: community.slug.clone(),
                initiative: initiative.into(),
                title: title.into(),
                starts_at,
                ends_at: starts_at + 2 * 3600,
                place: (!online).then(|| place.into()),
                online_url: online.then(|| place.into()),
                capacity,
                description: "Iedereen is welkom. Neem gerust een buurman of buurvrouw mee.\n\nKoffie en thee staan klaar.".into(),
                cancelled,
                created_at: now,
                updated_at: now,
                sequence: u32::from(cancelled),
            },
        )?;
        for n in 0..attendees {
            let voter = crate::secrets::voter_hash(&format!("demo-attendee-{id}-{n}"));
            store.attendee_add(&community.slug, id, &voter, now)?;
        }
    }
    Ok(())
}

/// The topic under the omroep's article.
pub const DEMO_TOPIC: &str = "kermis-dorpsplein";

/// A discussion under the omroep's article and reactions on the first
/// initiative, so the dialogue is not an empty box at first sight.
async fn seed_dialogue(store: &Store, community: &communities::Community) -> ApiResult<()> {
    use mekaar_api::discussions::{ReactionPost, Stance, ThreadKind, TopicCreate};
    let discussions = Discussions::default();
    if discussions
        .thread(store, community, ThreadKind::Topic, DEMO_TOPIC)
        .is_ok()
    {
        return Ok(());
    }
    discussions.create_topic_with_id(
        store,
        community,
        DEMO_TOPIC,
        TopicCreate {
            title: "Moet de kermis terug naar het dorpsplein?".into(),
            intro: "Sinds de herinrichting staat de kermis op het sportpark. Ondernemers willen terug naar het plein, omwonenden zijn verdeeld. Wat vindt u?".into(),
            closes_at: None,
        },
    )?;
    // Demo residents (fixed voter hashes that no browser has): thread, text,
    // name, stance, and which earlier reaction of this list it answers.
    let abuse = Abuse::new(&Limits::default());
    let topic = (ThreadKind::Topic, DEMO_TOPIC);
    let initiative = (ThreadKind::Initiative, INITIATIVES[0].id);
    let said: [(_, &str, &str, Option<Stance>, Option<usize>); 5] = [
        (topic, "Ja! De kermis hoort in het hart van het dorp. Op het sportpark komt er bijna niemand spontaan langs.", "Ria", None, None),
        (topic, "Ik woon aan het plein: vier dagen herrie tot middernacht is veel. Misschien korter, tot tien uur?", "Henk van de Markt", None, None),
        (topic, "Tot tien uur lijkt me een mooi midden.", "", None, Some(0)),
        (initiative, "Wie controleert de AED elke maand? Dat vergeten ze vaak.", "Marloes", Some(Stance::Question), None),
        (initiative, "Goed plan, ik doe de cursus graag mee.", "Sander", Some(Stance::For), None),
    ];
    let mut ids: Vec<String> = Vec::new();
    for (n, (thread, text, name, stance, answers)) in said.into_iter().enumerate() {
        let stored = discussions
            .post(
                store,
                community,
                thread,
                ReactionPost {
                    text: text.into(),
                    name: name.into(),
                    stance,
                    reply_to: answers.map(|i| ids[i].clone()),
                    website: String::new(),
                },
                Author::Resident {
                    voter: [0xde, 0x30, n as u8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
                    initiator: false,
                    network: None,
                    abuse: &abuse,
                },
            )
            .await?;
        ids.push(stored.id);
    }
    discussions
        .post_official(
            store,
            community,
            initiative,
            mekaar_api::discussions::OfficialReactionPost {
                text: "De gemeente betaalt het onderhoudscontract van de eerste twee jaar uit het leefbaarheidsbudget.".into(),
                name: "Gemeente Demodorp".into(),
                reply_to: Some(ids[3].clone()),
            },
        )
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A newcomer who stops and restarts the demo can sign in with what this start printed;
    /// what an earlier start printed stops working, and tokens do not pile up.
    #[tokio::test]
    async fn every_start_prints_working_tokens_and_retires_the_previous_ones() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let tallies = Tallies::new();
        let origins = vec!["http://127.0.0.1:8081".to_string()];
        let first = seed(&store, &tallies, &origins).await.unwrap();
        let second = seed(&store, &tallies, &origins).await.unwrap();
        for seeded in [&first, &second] {
            let roles: Vec<Role> = seeded.new_tokens.iter().map(|(r, _)| *r).collect();
            assert_eq!(roles, [Role::Admin, Role::Moderator, Role::PollEditor]);
        }
        let community = communities::get(&store, DEMO_COMMUNITY).unwrap();
        for (role, token) in &second.new_tokens {
            let found = community
                .find_token(token)
                .expect("this start's token works");
            assert_eq!(found.role, *role);
        }
        for (_, token) in &first.new_tokens {
            assert!(
                community.find_token(token).is_none(),
                "an earlier start's token no longer works"
            );
        }
        assert_eq!(community.tokens.len(), 3, "{:?}", community.tokens);
    }

    /// The demo's agenda has coming meetings, one nearly full and one cancelled,
    /// and a second start adds no attendees to them.
    #[tokio::test]
    async fn the_demo_plans_coming_meetings() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let tallies = Tallies::new();
        seed(&store, &tallies, &[]).await.unwrap();
        seed(&store, &tallies, &[]).await.unwrap();
        let community = communities::get(&store, DEMO_COMMUNITY).unwrap();
        let now = crate::secrets::now_secs();
        let agenda = crate::meetings::agenda(&store, &community, &Default::default(), now).unwrap();
        assert_eq!(agenda.upcoming.len(), 3);
        assert!(agenda.upcoming.iter().all(|m| m.starts_at > now));
        assert_eq!(agenda.upcoming.iter().filter(|m| m.cancelled).count(), 1);
        let nearly_full = agenda
            .upcoming
            .iter()
            .find(|m| m.capacity.is_some())
            .unwrap();
        assert_eq!(
            (nearly_full.attendee_count, nearly_full.capacity),
            (18, Some(20))
        );
    }
}

//! Benchmark (not a test): the public initiative list with 1,000 initiatives
//! in one community, plain and with ETag / conditional GET, against the real
//! release server.
//!
//! ```text
//! cargo build --release -p mekaar-server
//! cargo bench -p mekaar-tests --bench list_initiatives
//! ```
//!
//! The server runs as a subprocess (`target/release/mekaar-server`) on
//! 127.0.0.1 with a temporary data directory, as in `durable_supports.rs`
//! (the bench builds nothing itself). Setup over the admin and public API:
//! one community with areas and themes, `MEKAAR_BENCH_INITIATIVES` (1,000)
//! initiatives with a title, summary and a story of 0.4–1.4 KB, spread over
//! areas, themes and statuses; one in ten has an official answer, one in fifty
//! is hidden by a moderator; supports spread unevenly (a few popular ones,
//! a long tail), so `sort=support` has something to sort.
//!
//! Phases, each a fixed number of `GET`s from exactly `CONNECTIONS`
//! keep-alive HTTP/1.1 connections (connected before the clock starts):
//! - (a) `…/initiatives` (first page of 20, newest first);
//! - (b) `…/initiatives?sort=support&limit=100`;
//! - (c) `…/initiatives?area=…&status=…&q=…` (filters and text search);
//! - (d) (a) with `If-None-Match: <current ETag>`: every answer should be 304
//!   (any 200 is counted and reported);
//! - (e) (a) with `If-None-Match`, each client keeping the ETag of its last
//!   answer (as a browser cache does), while a trickle of durable supports
//!   (`MEKAAR_BENCH_TRICKLE_PER_SEC`, 50/s) changes the store: the share of
//!   304s shows what the ETag saves when counts change while people watch.
//!
//! Each query's answer is checked once before its phase (status, ETag, page
//! size, order, the filtered total against the seeded data).
//!
//! Knobs (environment variables, all bounded):
//! `MEKAAR_BENCH_INITIATIVES` (1000), `MEKAAR_BENCH_CONNECTIONS` (64),
//! `MEKAAR_BENCH_WARMUP` (500 list GETs), `MEKAAR_BENCH_LIST_REQUESTS` (5000,
//! phases a–c), `MEKAAR_BENCH_CONDITIONAL_REQUESTS` (100000, phase d),
//! `MEKAAR_BENCH_TRICKLE_REQUESTS` (20000, phase e), `MEKAAR_BENCH_TRICKLE_PER_SEC`
//! (50), `MEKAAR_BENCH_CLIENT_THREADS` (1), `MEKAAR_SERVER_BIN`.
//!
//! Nothing is asserted about time: the run exits non-zero only when it cannot
//! run or an answer is wrong (a check fails).

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::Empty;
use hyper::client::conn::http1::SendRequest;
use hyper::header::{CONTENT_LENGTH, HOST, IF_NONE_MATCH};
use hyper::{Method, Request};
use mekaar_tests::bench::*;
use mekaar_tests::{voter_key, VOTER_HEADER};
use serde_json::{json, Value};
use tokio::task::JoinSet;

const COMMUNITY: &str = "bench";
/// A request count above this is refused: the bench is always bounded.
const MAX_REQUESTS: u64 = 10_000_000;
/// Admin requests in flight while seeding.
const SEED_CONCURRENCY: usize = 16;
/// Voter keys of the trickle start here (the seeded supports use 0..).
const TRICKLE_VOTERS: u64 = 1 << 40;

const AREAS: [&str; 8] = [
    "Centrum",
    "Noord",
    "Oost",
    "Zuid",
    "West",
    "Hattemerbroek",
    "Oosterwolde",
    "Wezep",
];
const THEMES: [&str; 7] = [
    "Groen",
    "Veiligheid",
    "Spelen en sport",
    "Zorg en welzijn",
    "Energie",
    "Verkeer",
    "Cultuur",
];
const STATUSES: [&str; 5] = [
    "idea",
    "seeking_supporters",
    "in_progress",
    "realised",
    "stopped",
];
/// Phase (c): these filters and this search term.
const FILTER_AREA: &str = "Centrum";
const FILTER_STATUS: &str = "seeking_supporters";
const SEARCH: &str = "moestuin";

/// (title, summary, a story paragraph) of the seeded initiatives.
const TOPICS: [(&str, &str, &str); 12] = [
    (
        "Moestuin voor de buurt",
        "Samen groente kweken op het braakliggende veldje, met bakken voor wie niet kan bukken.",
        "Op het veldje achter de flat ligt al jaren niets. Wij willen er een moestuin beginnen met tien bakken, een regenton en een bankje. Iedereen mag meedoen, ook wie maar een uurtje per week heeft.",
    ),
    (
        "AED bij de kerk",
        "Een AED aan de gevel van de kerk, dag en nacht bereikbaar, en een reanimatiecursus.",
        "Bij een hartstilstand telt elke minuut. De dichtstbijzijnde AED hangt nu in de sporthal, die 's avonds dicht is. De kerk wil de gevel beschikbaar stellen; wij zoeken mensen die de cursus willen volgen.",
    ),
    (
        "Jeu-de-boulesbaan bij het dorpshuis",
        "Een baan van veertien bij vier meter naast het dorpshuis, voor jong en oud.",
        "Op woensdagmiddag zitten veel ouderen binnen. Een jeu-de-boulesbaan brengt mensen naar buiten en bij elkaar. Het dorpshuis zorgt voor koffie, wij voor de baan en een competitie.",
    ),
    (
        "Speeltuin opknappen",
        "De speeltoestellen zijn versleten; samen met de kinderen kiezen we nieuwe.",
        "De glijbaan is al een jaar afgezet en de schommel piept. We willen met de kinderen uit de straat een ontwerp maken, en met de gemeente en de buurt de kosten delen.",
    ),
    (
        "Bloemenlint langs de dijk",
        "Inheemse bloemen in de berm, goed voor bijen en mooi om langs te fietsen.",
        "Langs de dijk wordt de berm nu vaak gemaaid. Met een bloemrijk mengsel en twee keer per jaar maaien krijgen bijen en vlinders weer een kans, en fietsers een mooier uitzicht.",
    ),
    (
        "Buurtbieb in de oude telefooncel",
        "Boeken ruilen in de telefooncel op het plein: breng er een, neem er een.",
        "De telefooncel staat er nog, maar niemand belt meer. Met planken en een likje verf wordt het een minibieb. We zoeken mensen die af en toe opruimen en nieuwe boeken brengen.",
    ),
    (
        "Repair café in het buurthuis",
        "Eens per maand samen spullen repareren in plaats van weggooien.",
        "Broodroosters, fietsen, kleding: veel is met een beetje hulp te maken. Wij zoeken handige buren, gereedschap en een vaste zaterdag in het buurthuis.",
    ),
    (
        "Veilige oversteek bij de school",
        "Een zebrapad en een drempel bij de basisschool, want er wordt hard gereden.",
        "Elke ochtend steken honderden kinderen over op een weg waar vaak te hard wordt gereden. Wij meten de snelheid, praten met de school en vragen de gemeente om een veilige oversteek.",
    ),
    (
        "Zonnepanelen op de sporthal",
        "Het dak van de sporthal vol zonnepanelen, met een coöperatie van buurtbewoners.",
        "Het dak ligt op het zuiden en is groot genoeg voor driehonderd panelen. Met een energiecoöperatie kunnen buren meedoen en delen in de opbrengst.",
    ),
    (
        "Bankjes langs het wandelpad",
        "Om de vijfhonderd meter een bankje, zodat ook wie slecht ter been is kan wandelen.",
        "Veel ouderen lopen het rondje niet meer omdat er nergens een plek is om uit te rusten. Een paar bankjes maken het pad weer voor iedereen bruikbaar.",
    ),
    (
        "Buurtfeest op het plein",
        "Een jaarlijks buurtfeest met muziek, eten uit alle keukens en spelletjes.",
        "We kennen onze buren steeds minder. Een feest op het plein, met een kraam van iedere straat, brengt daar verandering in. We zoeken vrijwilligers voor opbouw, muziek en eten.",
    ),
    (
        "Hondenuitlaatveld met hek",
        "Een omheind veld waar honden los kunnen lopen, weg van de speelplaats.",
        "Nu lopen honden los in het park waar ook kinderen spelen. Een omheind veld aan de rand van de wijk, met een afvalbak en een bankje, lost dat op voor iedereen.",
    ),
];

const FILLER: &str = "We hebben al met een aantal buren gesproken en er is veel enthousiasme. \
Wat we nog nodig hebben is steun uit de buurt, een paar handen extra en een gesprek met de gemeente \
over de kosten en het onderhoud. Kom langs op de informatieavond of laat hieronder weten dat je meedoet.";

struct Config {
    initiatives: u64,
    connections: u64,
    warmup: u64,
    list_requests: u64,
    conditional_requests: u64,
    trickle_requests: u64,
    trickle_per_sec: u64,
    client_threads: usize,
    server_bin: PathBuf,
}

impl Config {
    fn from_env() -> Result<Config, String> {
        let server_bin = server_bin();
        Ok(Config {
            initiatives: env_u64("MEKAAR_BENCH_INITIATIVES", 1_000, 100_000)?.max(1),
            connections: env_u64("MEKAAR_BENCH_CONNECTIONS", 64, 10_000)?.max(1),
            warmup: env_u64("MEKAAR_BENCH_WARMUP", 500, MAX_REQUESTS)?,
            list_requests: env_u64("MEKAAR_BENCH_LIST_REQUESTS", 5_000, MAX_REQUESTS)?.max(1),
            conditional_requests: env_u64(
                "MEKAAR_BENCH_CONDITIONAL_REQUESTS",
                100_000,
                MAX_REQUESTS,
            )?
            .max(1),
            trickle_requests: env_u64("MEKAAR_BENCH_TRICKLE_REQUESTS", 20_000, MAX_REQUESTS)?,
            trickle_per_sec: env_u64("MEKAAR_BENCH_TRICKLE_PER_SEC", 50, 10_000)?,
            client_threads: env_u64("MEKAAR_BENCH_CLIENT_THREADS", 1, 64)?.max(1) as usize,
            server_bin,
        })
    }
}

fn main() -> ExitCode {
    let Some(config) = report(Config::from_env()) else {
        return ExitCode::FAILURE;
    };
    exit_code(run(&config))
}

// ---------------------------------------------------------------------------
// The seeded data, known to the bench so answers can be checked

struct Seeded {
    id: String,
    area: &'static str,
    status: &'static str,
    text: String,
    public: bool,
    supports: u64,
}

/// Initiative `k` of the seed: everything but its id.
fn seed_spec(k: u64) -> (Value, Value, bool, bool, u64) {
    let (topic_title, summary, paragraph) = TOPICS[(k % TOPICS.len() as u64) as usize];
    // Areas and themes cycle with co-prime periods, statuses with a third, so
    // every combination occurs.
    let area = AREAS[(k % AREAS.len() as u64) as usize];
    let theme = THEMES[(k / 3 % THEMES.len() as u64) as usize];
    let status = STATUSES[(k / 2 % STATUSES.len() as u64) as usize];
    let title = format!("{topic_title} in {area} ({k})");
    // 0.4–1.4 KB of story: the topic's paragraph, then 1–4 filler paragraphs.
    let fillers = 1 + k % 4;
    let mut story = paragraph.to_string();
    for _ in 0..fillers {
        story.push_str("\n\n");
        story.push_str(FILLER);
    }
    let create = json!({ "title": title, "summary": summary, "area": area, "theme": theme });
    let edit = json!({ "story": story, "status": status });
    let answered = k % 10 == 3;
    let hidden = k % 50 == 7;
    // A few popular ones (up to 300 supports), a long tail (0–40).
    let supports = if k.is_multiple_of(97) {
        300 - (k / 97 % 10) * 20
    } else {
        (k * 37 + 11) % 41
    };
    (create, edit, answered, hidden, supports)
}

/// Creates, edits, answers and hides initiative `k`; returns what it seeded.
async fn seed_one(
    client: reqwest::Client,
    base: String,
    token: Arc<String>,
    k: u64,
) -> Result<Seeded, String> {
    let (create, edit, answered, hidden, supports) = seed_spec(k);
    let admin = format!("{base}/api/v1/admin/communities/{COMMUNITY}/initiatives");
    let created = admin_send(
        &client,
        reqwest::Method::POST,
        admin.clone(),
        &token,
        &create,
        201,
    )
    .await?;
    let id = created["id"]
        .as_str()
        .ok_or("no id in the created initiative")?
        .to_string();
    let one = format!("{admin}/{id}");
    admin_send(
        &client,
        reqwest::Method::PATCH,
        one.clone(),
        &token,
        &edit,
        200,
    )
    .await?;
    if answered {
        let answer = json!({
            "text": "De gemeente neemt dit mee in de begroting van volgend jaar en neemt contact op.",
            "answered_by": "Gemeente, team Leefomgeving",
        });
        admin_send(
            &client,
            reqwest::Method::PUT,
            format!("{one}/answer"),
            &token,
            &answer,
            200,
        )
        .await?;
    }
    if hidden {
        let hide = json!({ "action": "hide", "note": "benchmark" });
        admin_send(
            &client,
            reqwest::Method::POST,
            format!("{one}/moderation"),
            &token,
            &hide,
            200,
        )
        .await?;
    }
    let text = format!(
        "{}\n{}\n{}",
        create["title"].as_str().unwrap_or(""),
        create["summary"].as_str().unwrap_or(""),
        edit["story"].as_str().unwrap_or("")
    )
    .to_lowercase();
    Ok(Seeded {
        id,
        area: AREAS[(k % AREAS.len() as u64) as usize],
        status: STATUSES[(k / 2 % STATUSES.len() as u64) as usize],
        text,
        public: !hidden,
        supports,
    })
}

/// The community and its initiatives (without supports).
async fn seed(
    client: &reqwest::Client,
    server: &ServerProcess,
    server_token: &str,
    initiatives: u64,
) -> Result<Vec<Seeded>, String> {
    let token = Arc::new(
        create_community(
            client,
            server,
            server_token,
            &json!({
            "slug": COMMUNITY,
            "name": "Benchmark",
            "areas": AREAS,
            "themes": THEMES,
            "support_threshold": 50,
            }),
        )
        .await?,
    );
    let base = server.url("");
    let mut seeded: Vec<Option<Seeded>> = (0..initiatives).map(|_| None).collect();
    let mut tasks = JoinSet::new();
    let mut next = 0;
    loop {
        while next < initiatives && tasks.len() < SEED_CONCURRENCY {
            let (client, base, token, k) = (client.clone(), base.clone(), token.clone(), next);
            tasks.spawn(async move { (k, seed_one(client, base, token, k).await) });
            next += 1;
        }
        let Some(done) = tasks.join_next().await else {
            break;
        };
        let (k, result) = done.map_err(|e| e.to_string())?;
        seeded[k as usize] = Some(result?);
    }
    Ok(seeded.into_iter().map(|s| s.expect("seeded")).collect())
}

// ---------------------------------------------------------------------------
// The load

/// Builds request number `i`, given the client's last ETag.
type MakeRequest = Arc<dyn Fn(u64, Option<&str>) -> Request<Empty<Bytes>> + Send + Sync>;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// 200 is right; a 304 would be a bug (no If-None-Match sent).
    Ok,
    /// 304 expected; a 200 is counted (the data changed) but is no error.
    NotModified,
    /// Either is right.
    Either,
}

/// One client: one keep-alive connection, one request at a time, until the
/// shared counter has handed out all of the phase's requests.
async fn worker(
    addr: SocketAddr,
    mut sender: Option<SendRequest<Empty<Bytes>>>,
    make: MakeRequest,
    expect: Expect,
    mut etag: Option<String>,
    end: u64,
    next: Arc<AtomicU64>,
) -> PhaseResult {
    let mut result = PhaseResult::empty();
    while let Some(i) = next_request(&next, end) {
        let request = make(i, etag.as_deref());
        let started = Instant::now();
        let outcome = send(addr, &mut sender, request).await;
        let micros = started.elapsed().as_micros().max(1) as u64;
        result.latency.saturating_record(micros);
        result.requests += 1;
        match outcome {
            Ok((status @ (200 | 304), tag, body)) => {
                if status == 200 {
                    result.ok += 1;
                } else {
                    result.not_modified += 1;
                }
                result.body_bytes += body.len() as u64;
                if status == 304 && expect == Expect::Ok {
                    result.note("HTTP 304 without If-None-Match".into());
                }
                if tag.is_some() {
                    etag = tag;
                }
            }
            Ok((status, _, body)) => result.note_status(status, &body),
            Err(err) => result.note(err),
        }
    }
    result
}

struct Phase {
    name: &'static str,
    make: MakeRequest,
    expect: Expect,
    /// The ETag every client starts with (sent as If-None-Match when `make` uses it).
    etag: Option<String>,
    requests: u64,
}

async fn run_phase(
    addr: SocketAddr,
    phase: &Phase,
    connections: u64,
    server_pid: u32,
) -> Result<PhaseResult, String> {
    // Connect everybody first, so the timed part is requests only.
    let mut senders = Vec::new();
    for _ in 0..connections {
        senders.push(connect(addr).await?);
    }
    let next = Arc::new(AtomicU64::new(0));
    let cpu_before = cpu_sample(server_pid);
    let started = Instant::now();
    let tasks: Vec<_> = senders
        .into_iter()
        .map(|sender| {
            tokio::spawn(worker(
                addr,
                Some(sender),
                phase.make.clone(),
                phase.expect,
                phase.etag.clone(),
                phase.requests,
                next.clone(),
            ))
        })
        .collect();
    let mut result = PhaseResult::empty();
    for task in tasks {
        result.merge(
            task.await
                .map_err(|e| format!("a client task failed: {e}"))?,
        );
    }
    result.elapsed = started.elapsed();
    result.cpu = cpu_before.zip(cpu_sample(server_pid));
    result.error_samples.truncate(5);
    Ok(result)
}

fn get_request(host: String, path: String) -> MakeRequest {
    Arc::new(move |_, _| {
        Request::builder()
            .method(Method::GET)
            .uri(path.as_str())
            .header(HOST, host.as_str())
            .body(Empty::<Bytes>::new())
            .expect("a valid request")
    })
}

/// GET with `If-None-Match: <the client's last ETag>`.
fn conditional_request(host: String, path: String) -> MakeRequest {
    Arc::new(move |_, etag| {
        let mut builder = Request::builder()
            .method(Method::GET)
            .uri(path.as_str())
            .header(HOST, host.as_str());
        if let Some(etag) = etag {
            builder = builder.header(IF_NONE_MATCH, etag);
        }
        builder
            .body(Empty::<Bytes>::new())
            .expect("a valid request")
    })
}

/// `PUT …/support` for `paths[i % len]`, voter key `first_voter + i`.
fn support_request(host: String, paths: Arc<Vec<String>>, first_voter: u64) -> MakeRequest {
    Arc::new(move |i, _| {
        Request::builder()
            .method(Method::PUT)
            .uri(paths[(i % paths.len() as u64) as usize].as_str())
            .header(HOST, host.as_str())
            .header(VOTER_HEADER, voter_key(first_voter + i))
            .header(CONTENT_LENGTH, "0")
            .body(Empty::<Bytes>::new())
            .expect("a valid request")
    })
}

/// Most trickle supports in flight at once (each on its own connection).
const TRICKLE_IN_FLIGHT: usize = 64;

/// Durable supports at a steady rate until `stop`, open loop: a support is
/// sent on time even while earlier ones still wait for their answer (on
/// pooled keep-alive connections, at most `TRICKLE_IN_FLIGHT` at once).
async fn trickle(
    addr: SocketAddr,
    make: MakeRequest,
    per_sec: u64,
    stop: Arc<AtomicBool>,
) -> PhaseResult {
    let mut result = PhaseResult::empty();
    let pool: Arc<std::sync::Mutex<Vec<SendRequest<Empty<Bytes>>>>> = Default::default();
    let mut in_flight: JoinSet<(u64, Outcome)> = JoinSet::new();
    let mut ticks = tokio::time::interval(Duration::from_secs_f64(1.0 / per_sec as f64));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let record = |result: &mut PhaseResult, (micros, outcome): (u64, Outcome)| {
        result.record(micros, outcome)
    };
    let started = Instant::now();
    let mut i = 0;
    while !stop.load(Ordering::Relaxed) {
        ticks.tick().await;
        while let Some(done) = in_flight.try_join_next() {
            record(&mut result, done.expect("a trickle task panicked"));
        }
        if in_flight.len() >= TRICKLE_IN_FLIGHT {
            // Bounded: this tick is skipped (the achieved rate shows it).
            continue;
        }
        let request = make(i, None);
        i += 1;
        result.requests += 1;
        let pool = pool.clone();
        in_flight.spawn(async move {
            let mut sender = pool.lock().expect("pool lock").pop();
            let sent = Instant::now();
            let outcome = send(addr, &mut sender, request).await;
            let micros = sent.elapsed().as_micros().max(1) as u64;
            if let Some(sender) = sender {
                pool.lock().expect("pool lock").push(sender);
            }
            (micros, outcome)
        });
    }
    result.elapsed = started.elapsed();
    while let Some(done) = in_flight.join_next().await {
        record(&mut result, done.expect("a trickle task panicked"));
    }
    result
}

// ---------------------------------------------------------------------------
// Checks of the answers (once per query, outside the timed phases)

async fn fetch(
    client: &reqwest::Client,
    url: &str,
    if_none_match: Option<&str>,
) -> Result<(u16, Option<String>, Bytes), String> {
    let mut request = client.get(url);
    if let Some(etag) = if_none_match {
        request = request.header("if-none-match", etag);
    }
    let response = request
        .send()
        .await
        .map_err(|e| format!("GET {url}: {e}"))?;
    let status = response.status().as_u16();
    let etag = response
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = response.bytes().await.map_err(|e| e.to_string())?;
    Ok((status, etag, body))
}

struct Checked {
    etag: String,
    body_len: usize,
}

/// GET `url`: a 200 with an ETag, `len` initiatives of `total`, in the
/// order of `sort`, and `If-None-Match` with its ETag answered 304.
async fn check_list(
    client: &reqwest::Client,
    url: &str,
    len: usize,
    total: u64,
    sort: &str,
    failures: &mut Vec<String>,
) -> Result<Checked, String> {
    let (status, etag, body) = fetch(client, url, None).await?;
    if status != 200 {
        return Err(format!(
            "GET {url}: HTTP {status}: {}",
            String::from_utf8_lossy(&body)
        ));
    }
    let etag = etag.ok_or_else(|| format!("GET {url}: no ETag"))?;
    let list: Value = serde_json::from_slice(&body).map_err(|e| format!("GET {url}: {e}"))?;
    let items = list["initiatives"].as_array().cloned().unwrap_or_default();
    let mut fail = |what: String| failures.push(format!("GET {url}: {what}"));
    if items.len() != len {
        fail(format!("{} initiatives, expected {len}", items.len()));
    }
    if list["total"].as_u64() != Some(total) {
        fail(format!("total {}, expected {total}", list["total"]));
    }
    let key = |item: &Value| {
        let field = if sort == "support" {
            "support_count"
        } else {
            "created_at"
        };
        item[field].as_u64().unwrap_or(0)
    };
    if items.windows(2).any(|w| key(&w[0]) < key(&w[1])) {
        fail(format!("not in {sort} order"));
    }
    let (status, _, _) = fetch(client, url, Some(&etag)).await?;
    if status != 304 {
        fail(format!(
            "with If-None-Match {etag}: HTTP {status}, expected 304"
        ));
    }
    Ok(Checked {
        etag,
        body_len: body.len(),
    })
}

// ---------------------------------------------------------------------------

fn run(config: &Config) -> Result<bool, String> {
    let (_data, server_token, runtime, server) = setup(&config.server_bin, config.client_threads)?;
    let pid = server.pid();
    let addr = server.addr;
    let host = addr.to_string();

    // ---- setup
    let client = reqwest::Client::new();
    let setup_started = Instant::now();
    let seeded = runtime.block_on(seed(&client, &server, &server_token, config.initiatives))?;
    let seed_secs = setup_started.elapsed().as_secs_f64();
    let support_base =
        |id: &str| format!("/api/v1/communities/{COMMUNITY}/initiatives/{id}/support");
    // One path per support to give, so initiative k gets exactly its share.
    let support_paths: Vec<String> = seeded
        .iter()
        .filter(|s| s.public)
        .flat_map(|s| std::iter::repeat_n(support_base(&s.id), s.supports as usize))
        .collect();
    let supports_total = support_paths.len() as u64;
    let supports_started = Instant::now();
    let given = if supports_total > 0 {
        runtime.block_on(run_phase(
            addr,
            &Phase {
                name: "seed supports",
                make: support_request(host.clone(), Arc::new(support_paths), 0),
                expect: Expect::Ok,
                etag: None,
                requests: supports_total,
            },
            config.connections,
            pid,
        ))?
    } else {
        PhaseResult::empty()
    };
    if given.errors > 0 {
        return Err(format!(
            "seeding supports: {} errors, e.g. {:?}",
            given.errors, given.error_samples
        ));
    }
    let public: Vec<&Seeded> = seeded.iter().filter(|s| s.public).collect();
    let public_count = public.len() as u64;
    let filtered_count = public
        .iter()
        .filter(|s| s.area == FILTER_AREA && s.status == FILTER_STATUS && s.text.contains(SEARCH))
        .count() as u64;
    let answered = (0..config.initiatives).filter(|k| seed_spec(*k).2).count();
    let max_supports = public.iter().map(|s| s.supports).max().unwrap_or(0);
    println!(
        "setup: {} initiatives ({public_count} published, {} hidden, {answered} answered) in {seed_secs:.1} s; \
         {supports_total} supports (max {max_supports} on one) in {:.1} s; server RSS {} (peak {})",
        config.initiatives,
        config.initiatives - public_count,
        supports_started.elapsed().as_secs_f64(),
        mib(status_kib(pid, "VmRSS")),
        mib(status_kib(pid, "VmHWM")),
    );

    // ---- the queries, each checked once
    let list = format!("/api/v1/communities/{COMMUNITY}/initiatives");
    let path_a = list.clone();
    let path_b = format!("{list}?sort=support&limit=100");
    let path_c = format!("{list}?area={FILTER_AREA}&status={FILTER_STATUS}&q={SEARCH}");
    let mut failures = Vec::new();
    let checked = runtime.block_on(async {
        let a = check_list(
            &client,
            &server.url(&path_a),
            (public_count as usize).min(20),
            public_count,
            "newest",
            &mut failures,
        )
        .await?;
        let b = check_list(
            &client,
            &server.url(&path_b),
            (public_count as usize).min(100),
            public_count,
            "support",
            &mut failures,
        )
        .await?;
        let c = check_list(
            &client,
            &server.url(&path_c),
            (filtered_count as usize).min(20),
            filtered_count,
            "newest",
            &mut failures,
        )
        .await?;
        Ok::<_, String>([a, b, c])
    })?;
    let top = runtime.block_on(fetch(&client, &server.url(&path_b), None))?;
    let top: Value = serde_json::from_slice(&top.2).map_err(|e| e.to_string())?;
    if top["initiatives"][0]["support_count"].as_u64() != Some(max_supports) {
        failures.push(format!(
            "sort=support: first has {} supports, expected {max_supports}",
            top["initiatives"][0]["support_count"]
        ));
    }
    println!(
        "answers: (a) {} B, (b) {} B, (c) {} B ({filtered_count} match); ETag {}",
        checked[0].body_len, checked[1].body_len, checked[2].body_len, checked[0].etag
    );
    let _ = std::io::stdout().flush();

    // ---- load
    let phase_list = |name, path: &str, requests| Phase {
        name,
        make: get_request(host.clone(), path.to_string()),
        expect: Expect::Ok,
        etag: None,
        requests,
    };
    println!(
        "load: {} connections, {} client thread(s); warm-up {} GETs; (a)–(c) {} GETs each, (d) {}, (e) {} with {} supports/s",
        config.connections,
        config.client_threads,
        config.warmup,
        config.list_requests,
        config.conditional_requests,
        config.trickle_requests,
        config.trickle_per_sec,
    );
    let _ = std::io::stdout().flush();
    let mut results: Vec<(&str, PhaseResult)> = Vec::new();
    if config.warmup > 0 {
        let warmup = runtime.block_on(run_phase(
            addr,
            &phase_list("warm-up", &path_a, config.warmup),
            config.connections,
            pid,
        ))?;
        results.push(("warm-up", warmup));
    }
    for phase in [
        phase_list("(a) newest, 20", &path_a, config.list_requests),
        phase_list("(b) support, 100", &path_b, config.list_requests),
        phase_list("(c) filter + search", &path_c, config.list_requests),
    ] {
        let result = runtime.block_on(run_phase(addr, &phase, config.connections, pid))?;
        println!(
            "{}: {:.0} req/s, p99 {:.2} ms",
            phase.name,
            result.per_sec(),
            result.ms(0.99)
        );
        let _ = std::io::stdout().flush();
        results.push((phase.name, result));
    }
    // (d): nothing writes, so the ETag of the checks is still current.
    let (_, etag_now, _) = runtime.block_on(fetch(&client, &server.url(&path_a), None))?;
    let etag_now = etag_now.ok_or("no ETag")?;
    let d = Phase {
        name: "(d) If-None-Match, no writes",
        make: conditional_request(host.clone(), path_a.clone()),
        expect: Expect::NotModified,
        etag: Some(etag_now.clone()),
        requests: config.conditional_requests,
    };
    let result = runtime.block_on(run_phase(addr, &d, config.connections, pid))?;
    println!(
        "{}: {:.0} req/s, {} × 304, {} × 200",
        d.name,
        result.per_sec(),
        result.not_modified,
        result.ok
    );
    results.push((d.name, result));

    // (e): the same, while supports trickle in.
    let mut trickled = None;
    if config.trickle_requests > 0 {
        let e = Phase {
            name: "(e) If-None-Match + supports",
            make: conditional_request(host.clone(), path_a.clone()),
            expect: Expect::Either,
            etag: Some(etag_now),
            requests: config.trickle_requests,
        };
        let trickle_paths: Vec<String> = public.iter().map(|s| support_base(&s.id)).collect();
        let stop = Arc::new(AtomicBool::new(false));
        let (result, trickle_result) = runtime.block_on(async {
            let writer = (config.trickle_per_sec > 0).then(|| {
                tokio::spawn(trickle(
                    addr,
                    support_request(host.clone(), Arc::new(trickle_paths), TRICKLE_VOTERS),
                    config.trickle_per_sec,
                    stop.clone(),
                ))
            });
            let result = run_phase(addr, &e, config.connections, pid).await;
            stop.store(true, Ordering::Relaxed);
            let trickled = match writer {
                Some(writer) => Some(writer.await.map_err(|e| e.to_string())?),
                None => None,
            };
            Ok::<_, String>((result?, trickled))
        })?;
        println!(
            "{}: {:.0} req/s, {} × 304, {} × 200",
            e.name,
            result.per_sec(),
            result.not_modified,
            result.ok
        );
        results.push((e.name, result));
        trickled = trickle_result;
    }
    let rss_peak = status_kib(pid, "VmHWM");
    let rss_now = status_kib(pid, "VmRSS");

    // ---- report
    let measured: Vec<(&str, &PhaseResult)> = results
        .iter()
        .filter(|(n, _)| *n != "warm-up")
        .map(|(n, r)| (*n, r))
        .collect();
    println!();
    println!(
        "### List of {} initiatives ({public_count} published), {} connections",
        config.initiatives, config.connections
    );
    println!();
    print_table_head(&measured);
    print_timing_rows(&measured);
    let line = |label: &str, f: &dyn Fn(&PhaseResult) -> String| print_row(&measured, label, f);
    line("200 / 304", &|r| format!("{} / {}", r.ok, r.not_modified));
    line("304 share", &|r| {
        format!("{:.1} %", 100.0 * r.not_modified as f64 / r.requests as f64)
    });
    line("errors (other status or I/O)", &|r| r.errors.to_string());
    line("body bytes per request", &|r| {
        format!("{:.0}", r.body_bytes as f64 / r.requests as f64)
    });
    line("server CPU (100 % = 1 core)", &|r| {
        cores(r.cores(|c| c.server))
    });
    line("server CPU per request", &|r| {
        r.cores(|c| c.server).map_or("n/a".to_string(), |c| {
            let micros = c * r.elapsed.as_secs_f64() * 1e6 / r.requests as f64;
            if micros >= 1000.0 {
                format!("{:.2} ms", micros / 1000.0)
            } else {
                format!("{micros:.0} µs")
            }
        })
    });
    line("load generator CPU", &|r| cores(r.cores(|c| c.client)));
    println!(
        "| server RSS at the end / peak (VmRSS / VmHWM) | {} / {} |{}",
        mib(rss_now),
        mib(rss_peak),
        " |".repeat(measured.len() - 1)
    );
    println!();
    if let Some(t) = &trickled {
        println!(
            "Trickle during (e): {} supports in {:.2} s ({:.1}/s, target {}/s), {} × 200, {} errors; \
             support latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            t.requests,
            t.elapsed.as_secs_f64(),
            t.requests as f64 / t.elapsed.as_secs_f64(),
            config.trickle_per_sec,
            t.ok,
            t.errors,
            t.ms(0.50),
            t.ms(0.99),
            t.max_ms()
        );
        for sample in &t.error_samples {
            println!("error sample (trickle): {sample}");
        }
        println!();
    }
    for (name, r) in &results {
        for sample in &r.error_samples {
            println!("error sample ({name}): {sample}");
        }
    }
    if let Some((_, d)) = results.iter().find(|(n, _)| n.starts_with("(d)")) {
        if d.ok > 0 {
            println!(
                "(d) NOTE: {} conditional GETs answered 200, not 304, with nothing written",
                d.ok
            );
        }
    }
    let errors: u64 = results.iter().map(|(_, r)| r.errors).sum::<u64>()
        + trickled.as_ref().map_or(0, |t| t.errors);
    println!(
        "Checks: {} (errors in all phases: {errors})",
        if failures.is_empty() {
            "every answer checked was right".to_string()
        } else {
            format!("{} FAILED", failures.len())
        },
    );
    for failure in &failures {
        println!("  check failed: {failure}");
    }
    println!();
    Ok(failures.is_empty())
}

//! `mekaar-server`: run the server, the demo, or manage communities offline.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use mekaar_api::admin::Role;
use mekaar_api::{CommunityCreate, CommunityUpdate, InitiativeCreate, ModerationPolicy};
use mekaar_server::connections::ConnectionLimits;
use mekaar_server::http::Settings;
use mekaar_server::store::{Store, StoreConfig};
use mekaar_server::{assets, auth, communities, demo, export, initiatives, server};

#[derive(Parser)]
#[command(
    name = "mekaar-server",
    version,
    about = "Mekaar: widgets for local initiatives and polls, and the server that the community owns."
)]
struct Cli {
    /// Where the database lives.
    #[arg(
        long,
        env = "MEKAAR_DATA_DIR",
        default_value = "mekaar-data",
        global = true
    )]
    data_dir: PathBuf,
    /// A PostgreSQL database instead of the data directory
    /// (postgres://user:password@host:port/database); its schema is brought
    /// up to date at start.
    #[arg(long, env = "MEKAAR_DATABASE", global = true, hide_env_values = true)]
    database: Option<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (the default).
    Serve(ListenArgs),
    /// Run the server with a demo community, and a demo host site on a second port.
    Demo {
        #[command(flatten)]
        listen: ListenArgs,
        /// Address of the pretend village website that embeds the widgets.
        #[arg(long, env = "MEKAAR_DEMO_LISTEN", default_value = "127.0.0.1:8081")]
        demo_listen: SocketAddr,
    },
    /// Create, change and list communities (with the server stopped).
    #[command(subcommand)]
    Community(CommunityCommand),
    /// Create initiatives (with the server stopped).
    #[command(subcommand)]
    Initiative(InitiativeCommand),
    /// Make a server-wide admin token (may create communities over HTTP).
    AdminToken,
    /// Make a token of one community with a role (admin, moderator,
    /// poll-editor), e.g. to sign in to the console at /admin; prints it once.
    Token(TokenArgs),
    /// Write the whole database, or one community, as JSON Lines
    /// (docs/export-format.md), with the server stopped; see `backup`.
    Export {
        /// Only this community's records (no server-wide tables).
        #[arg(long)]
        community: Option<String>,
        /// Where to write it; `-` is standard output.
        #[arg(long, default_value = "-")]
        out: PathBuf,
    },
    /// Import an export into a new, empty data directory (--data-dir).
    Import { file: PathBuf },
    /// Take a consistent backup from the running server into DIR
    /// (as DIR/mekaar-<UTC time>.jsonl, synced to disk).
    Backup {
        dir: PathBuf,
        /// The running server.
        #[arg(long, env = "MEKAAR_SERVER", default_value = "http://127.0.0.1:8080")]
        server: String,
        /// A server-wide admin token (`mekaar-server admin-token`).
        #[arg(long, env = "MEKAAR_ADMIN_TOKEN", hide_env_values = true)]
        token: String,
    },
    /// Restore a backup (a file, or the newest backup in a directory) into a
    /// new, empty data directory (--data-dir).
    Restore { from: PathBuf },
    /// Move the installation to another engine (e.g. from sled to
    /// PostgreSQL) with the server stopped: every record is copied, then read
    /// back from the target and compared. The target must be empty.
    MigrateStore {
        /// Where it is now: `sled:DIR` or `postgres://…`.
        #[arg(long)]
        from: String,
        /// Where it goes: `sled:DIR` (a new directory) or `postgres://…` (an
        /// empty database; its schema is made).
        #[arg(long)]
        to: String,
    },
}

#[derive(Args)]
struct TokenArgs {
    /// The community (its slug).
    #[arg(long)]
    community: String,
    #[arg(long, value_enum, default_value_t = RoleArg::Admin)]
    role: RoleArg,
    /// Who holds it, e.g. "Marieke" (at most 60 characters).
    #[arg(long, default_value = "")]
    label: String,
}

#[derive(Clone, Copy, ValueEnum)]
enum RoleArg {
    /// Everything of the community.
    Admin,
    /// Initiatives: moderation, edits, answers, erasing personal data.
    Moderator,
    /// Polls: create, edit, open and close, vote codes.
    PollEditor,
}

impl From<RoleArg> for Role {
    fn from(role: RoleArg) -> Role {
        match role {
            RoleArg::Admin => Role::Admin,
            RoleArg::Moderator => Role::Moderator,
            RoleArg::PollEditor => Role::PollEditor,
        }
    }
}

#[derive(Args)]
struct ListenArgs {
    /// Address to listen on.
    #[arg(long, env = "MEKAAR_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Behind a reverse proxy: the proxies' addresses or networks (e.g.
    /// `127.0.0.1,10.0.0.0/8`). Only connections from these may name the
    /// client in X-Forwarded-For (used only, hashed, for rate limits; never
    /// stored) and the scheme in X-Forwarded-Proto.
    #[arg(long, env = "MEKAAR_TRUST_PROXY", value_delimiter = ',', value_parser = parse_network)]
    trust_proxy: Vec<ipnet::IpNet>,
    /// Connections one network (an IPv4 address, an IPv6 /64) may hold at once.
    #[arg(long, env = "MEKAAR_MAX_CONNECTIONS_PER_NETWORK", default_value_t = ConnectionLimits::default().per_network)]
    max_connections_per_network: usize,
    /// Connections the server holds at once; by default what the open-file
    /// limit allows, less a reserve for the database and the log.
    #[arg(long, env = "MEKAAR_MAX_CONNECTIONS")]
    max_connections: Option<usize>,
    /// Let webhooks reach loopback, link-local and private addresses (for
    /// development and tests: in production a community admin could make
    /// the server probe its own network).
    #[arg(long, env = "MEKAAR_ALLOW_PRIVATE_WEBHOOKS")]
    allow_private_webhooks: bool,
    /// The address residents use, e.g. https://mekaar.example.nl (for join
    /// links and QR codes); by default taken from each request's Host header.
    #[arg(long, env = "MEKAAR_PUBLIC_URL")]
    public_url: Option<String>,
    /// Where e-mail goes out: smtp://user:password@host:587 (STARTTLS; cleartext
    /// only to a loopback host) or smtps://user:password@host:465 (TLS).
    /// Without it no e-mail is sent and the e-mail options are not offered.
    #[arg(long, env = "MEKAAR_SMTP_URL", hide_env_values = true)]
    smtp_url: Option<String>,
    /// The sender of communities without their own from-address, e.g.
    /// "Mekaar <mekaar@example.nl>".
    #[arg(long, env = "MEKAAR_MAIL_FROM")]
    mail_from: Option<String>,
}

#[derive(Subcommand)]
enum CommunityCommand {
    /// Create a community; prints its first admin token once.
    Create {
        slug: String,
        #[arg(long)]
        name: String,
        #[command(flatten)]
        settings: CommunitySettings,
    },
    /// Change a community; lists given replace the old ones.
    Update {
        slug: String,
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        settings: CommunitySettings,
    },
    /// List communities.
    List,
    /// Make another admin token for a community; prints it once (see also
    /// `mekaar-server token` for other roles).
    Token { slug: String },
}

#[derive(Args)]
struct CommunitySettings {
    /// A site that may embed the widgets, e.g. https://www.baarlo.nl (repeatable).
    #[arg(long = "origin")]
    origins: Option<Vec<String>>,
    /// A neighbourhood or village (repeatable).
    #[arg(long = "area")]
    areas: Option<Vec<String>>,
    /// A theme (repeatable).
    #[arg(long = "theme")]
    themes: Option<Vec<String>>,
    /// A language, first is the default: nl, en (repeatable).
    #[arg(long = "language")]
    languages: Option<Vec<String>>,
    /// Supports an initiative needs to reach the community's threshold.
    #[arg(long)]
    threshold: Option<u64>,
    /// `pre`: new initiatives wait for a moderator; `post`: visible at once.
    #[arg(long, value_parser = ["pre", "post"])]
    moderation: Option<String>,
    /// Reports by different residents that hide an initiative until a moderator looks.
    #[arg(long)]
    reports_before_hide: Option<u32>,
    /// Days after an initiative is realised or stopped when its initiator's
    /// and joiners' personal data are erased; 0 keeps them (only `update`).
    #[arg(long)]
    retention_days: Option<u32>,
    /// The host site's page with the initiatives list, e.g.
    /// https://www.baarlo.nl/initiatieven (`""` removes it).
    #[arg(long)]
    initiatives_page: Option<String>,
    /// The sender of the community's e-mail, e.g. "Dorpsraad <nieuws@baarlo.nl>"
    /// (`""`: the server's --mail-from).
    #[arg(long)]
    mail_from: Option<String>,
}

impl CommunitySettings {
    fn moderation(&self) -> Option<ModerationPolicy> {
        self.moderation.as_deref().map(|m| match m {
            "pre" => ModerationPolicy::Pre,
            _ => ModerationPolicy::Post,
        })
    }
}

#[derive(Subcommand)]
enum InitiativeCommand {
    /// Create an initiative; prints its id.
    Create {
        community: String,
        #[arg(long)]
        title: String,
        #[arg(long, default_value = "")]
        summary: String,
        #[arg(long)]
        area: Option<String>,
        #[arg(long)]
        theme: Option<String>,
    },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("MEKAAR_LOG")
                // warp logs every connection a client drops (each live viewer
                // that leaves) as an error: not a fault of the server.
                .unwrap_or_else(|_| "mekaar_server=info,warp::server=off,warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// `import` (or `restore` of one file) into an empty PostgreSQL database.
fn import_into_database(store: &Store, file: &std::path::Path) -> Result<(), String> {
    let input =
        std::fs::File::open(file).map_err(|e| format!("opening {}: {e}", file.display()))?;
    let summary = export::import_into(store, &mut std::io::BufReader::new(input))
        .map_err(|e| e.to_string())?;
    eprintln!(
        "Imported {} records ({}) into the database.",
        summary.records,
        scope_text(&summary.scope)
    );
    Ok(())
}

/// `migrate-store --from A --to B`.
fn migrate_store(from: &str, to: &str) -> Result<(), String> {
    let (from, to) = (store_address(from)?, store_address(to)?);
    if let StoreConfig::Sled(dir) = &from {
        if !dir.join("db").exists() {
            return Err(format!("{} holds no Mekaar data", dir.display()));
        }
    }
    if describe(&from) == describe(&to) {
        return Err("--from and --to name the same store".to_string());
    }
    let source = Store::open_with(&from).map_err(|e| e.to_string())?;
    let target = Store::open_with(&to).map_err(|e| e.to_string())?;
    let moved = source.copy_into(&target).map_err(|e| e.to_string())?;
    eprintln!(
        "Moved {} records and {} set members from {} to {}; read back, they match.",
        moved.records,
        moved.members,
        describe(&from),
        describe(&to)
    );
    Ok(())
}

/// `sled:DIR` or a `postgres://` URL.
fn store_address(text: &str) -> Result<StoreConfig, String> {
    if let Some(dir) = text.strip_prefix("sled:") {
        return Ok(StoreConfig::Sled(PathBuf::from(dir)));
    }
    if text.starts_with("postgres://") || text.starts_with("postgresql://") {
        return Ok(StoreConfig::Postgres(text.to_string()));
    }
    Err(format!(
        "`{text}` is not a store: write sled:DIR or postgres://user@host:port/database"
    ))
}

/// A store's address for messages, without a password.
fn describe(config: &StoreConfig) -> String {
    match config {
        StoreConfig::Sled(dir) => format!("sled:{}", dir.display()),
        StoreConfig::Postgres(url) => match url.split_once("://") {
            Some((scheme, rest)) => match rest.rsplit_once('@') {
                Some((_, host)) => format!("{scheme}://…@{host}"),
                None => url.clone(),
            },
            None => url.clone(),
        },
    }
}

fn run(cli: Cli) -> Result<(), String> {
    // Import, restore and backup do not open the data directory as it is.
    let open = || {
        match &cli.database {
            Some(url) => Store::open_postgres(url),
            None => Store::open(&cli.data_dir),
        }
        .map_err(|e| e.to_string())
    };
    match cli.command.unwrap_or(Command::Serve(ListenArgs {
        listen: "127.0.0.1:8080".parse().expect("a valid default address"),
        trust_proxy: Vec::new(),
        max_connections_per_network: ConnectionLimits::default().per_network,
        max_connections: None,
        allow_private_webhooks: false,
        public_url: None,
        smtp_url: None,
        mail_from: None,
    })) {
        Command::Serve(args) => serve(open()?, args, None),
        Command::Demo {
            listen,
            demo_listen,
        } => serve(open()?, listen, Some(demo_listen)),
        Command::Community(command) => community(&open()?, command),
        Command::Initiative(InitiativeCommand::Create {
            community,
            title,
            summary,
            area,
            theme,
        }) => {
            let store = open()?;
            let community = communities::get(&store, &community).map_err(|e| e.message)?;
            let initiative = initiatives::create(
                &store,
                &community,
                InitiativeCreate {
                    title,
                    summary,
                    area,
                    theme,
                },
            )
            .map_err(|e| e.message)?;
            store.flush_blocking().map_err(|e| e.to_string())?;
            println!("{}", initiative.id);
            Ok(())
        }
        Command::AdminToken => {
            let token = auth::create_server_token(&open()?).map_err(|e| e.message)?;
            println!("Server admin token (shown once, keep it safe):\n{token}");
            Ok(())
        }
        Command::Token(args) => {
            make_token(&open()?, &args.community, args.role.into(), &args.label)
        }
        Command::Export { community, out } => {
            let scope = match community {
                Some(slug) => export::Scope::Community(slug),
                None => export::Scope::All,
            };
            export_to(&open()?, &scope, &out).map_err(|e| e.to_string())
        }
        Command::Import { file } if cli.database.is_some() => import_into_database(&open()?, &file),
        Command::Restore { from } if cli.database.is_some() && from.is_file() => {
            import_into_database(&open()?, &from)
        }
        Command::Restore { .. } if cli.database.is_some() => Err(
            "restoring into a database takes the backup file itself, not its directory".to_string(),
        ),
        Command::Import { file } => {
            let summary = export::import(&cli.data_dir, &file).map_err(|e| e.to_string())?;
            eprintln!(
                "Imported {} records ({}) into {}.",
                summary.records,
                scope_text(&summary.scope),
                cli.data_dir.display()
            );
            Ok(())
        }
        Command::MigrateStore { from, to } => migrate_store(&from, &to),
        Command::Restore { from } => {
            let (file, summary) =
                export::restore(&cli.data_dir, &from).map_err(|e| e.to_string())?;
            eprintln!(
                "Restored {} records ({}, taken {}) from {} into {}.",
                summary.records,
                scope_text(&summary.scope),
                summary.created_at,
                file.display(),
                cli.data_dir.display()
            );
            Ok(())
        }
        Command::Backup { dir, server, token } => {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            let file = runtime
                .block_on(export::backup(&server, &token, &dir))
                .map_err(|e| e.to_string())?;
            println!("{}", file.display());
            Ok(())
        }
    }
}

fn scope_text(scope: &export::Scope) -> String {
    match scope {
        export::Scope::All => "the whole database".into(),
        export::Scope::Community(slug) => format!("community {slug}"),
    }
}

/// `export`: to standard output, or to a file that is synced to disk.
fn export_to(store: &Store, scope: &export::Scope, out: &Path) -> Result<(), export::ExportError> {
    use std::io::Write;
    if out.as_os_str() == "-" {
        let stdout = std::io::stdout();
        let mut lock = stdout.lock();
        export::export(store, scope, &mut lock)?;
        return lock
            .flush()
            .map_err(|e| export::ExportError::Io("writing standard output".into(), e));
    }
    let mut file = std::fs::File::create(out)
        .map_err(|e| export::ExportError::Io(format!("creating {}", out.display()), e))?;
    let records = export::export(store, scope, &mut file)?;
    file.sync_all()
        .map_err(|e| export::ExportError::Io(format!("syncing {}", out.display()), e))?;
    eprintln!("Exported {records} records to {}.", out.display());
    Ok(())
}

fn community(store: &Store, command: CommunityCommand) -> Result<(), String> {
    match command {
        CommunityCommand::Create {
            slug,
            name,
            settings,
        } => {
            let moderation = settings.moderation();
            if settings
                .retention_days
                .is_some_and(|days| days > mekaar_api::RETENTION_DAYS_MAX)
            {
                return Err(format!(
                    "--retention-days must be at most {} (or 0 to keep personal data)",
                    mekaar_api::RETENTION_DAYS_MAX
                ));
            }
            let (community, token) = communities::create(
                store,
                CommunityCreate {
                    slug,
                    name,
                    languages: settings.languages,
                    moderation,
                    reports_before_hide: settings.reports_before_hide,
                    allowed_origins: settings.origins.unwrap_or_default(),
                    areas: settings.areas.unwrap_or_default(),
                    themes: settings.themes.unwrap_or_default(),
                    support_threshold: settings.threshold,
                    initiatives_page: settings.initiatives_page,
                    mail_from: settings.mail_from.clone(),
                },
            )
            .map_err(|e| e.message)?;
            if let Some(days) = settings.retention_days {
                communities::update(
                    store,
                    &community.slug,
                    CommunityUpdate {
                        retention_days: Some((days > 0).then_some(days)),
                        ..Default::default()
                    },
                )
                .map_err(|e| e.message)?;
            }
            store.flush_blocking().map_err(|e| e.to_string())?;
            println!("Created community {} ({}).", community.slug, community.name);
            println!("Admin token (shown once, keep it safe):\n{token}");
        }
        CommunityCommand::Update {
            slug,
            name,
            settings,
        } => {
            let moderation = settings.moderation();
            let community = communities::update(
                store,
                &slug,
                CommunityUpdate {
                    name,
                    moderation,
                    reports_before_hide: settings.reports_before_hide,
                    languages: settings.languages,
                    allowed_origins: settings.origins,
                    areas: settings.areas,
                    themes: settings.themes,
                    support_threshold: settings.threshold,
                    retention_days: settings
                        .retention_days
                        .map(|days| (days > 0).then_some(days)),
                    initiatives_page: settings.initiatives_page.map(Some),
                    reactions: None,
                    mail_from: settings.mail_from.map(Some),
                },
            )
            .map_err(|e| e.message)?;
            store.flush_blocking().map_err(|e| e.to_string())?;
            println!(
                "{}",
                serde_json::to_string_pretty(&community.admin_view()).map_err(|e| e.to_string())?
            );
        }
        CommunityCommand::List => {
            for community in communities::list(store).map_err(|e| e.message)? {
                println!(
                    "{}\t{}\t{}",
                    community.slug,
                    community.name,
                    community.allowed_origins.join(" ")
                );
            }
        }
        CommunityCommand::Token { slug } => make_token(store, &slug, Role::Admin, "")?,
    }
    Ok(())
}

/// Makes a token of `community` with `role`; prints it (last line) once.
fn make_token(store: &Store, community: &str, role: Role, label: &str) -> Result<(), String> {
    let (stored, token) =
        communities::add_token(store, community, role, label).map_err(|e| e.message)?;
    store.flush_blocking().map_err(|e| e.to_string())?;
    println!(
        "{} token {} for {community} (shown once, keep it safe):\n{token}",
        role_name(role),
        stored.id
    );
    Ok(())
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Admin => "Admin",
        Role::Moderator => "Moderator",
        Role::PollEditor => "Poll editor",
    }
}

fn serve(store: Store, args: ListenArgs, demo_listen: Option<SocketAddr>) -> Result<(), String> {
    let listen = args.listen;
    let mut settings = Settings::default();
    if !args.trust_proxy.is_empty() {
        let proxies: Vec<String> = args.trust_proxy.iter().map(|n| n.to_string()).collect();
        tracing::info!(
            "trusting X-Forwarded-For and X-Forwarded-Proto only from {}",
            proxies.join(", ")
        );
    }
    settings.limits.trusted_proxies = args.trust_proxy;
    settings.webhooks.allow_private_destinations = args.allow_private_webhooks;
    if args.allow_private_webhooks {
        tracing::warn!(
            "webhooks may reach loopback and private addresses (--allow-private-webhooks)"
        );
    }
    if let Some(url) = &args.public_url {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(format!(
                "--public-url must start with http:// or https://, not `{url}`"
            ));
        }
    }
    if args.public_url.is_none() && !listen.ip().is_loopback() {
        // Our own origin is then the address a client connected to (never the
        // Host header, which the client writes): pages reached by a name would
        // be refused as another site.
        tracing::warn!(
            "no --public-url: the phone page, the manage page and the console work only when reached by this server's IP address; set --public-url https://your.domain"
        );
    }
    settings.public_url = args.public_url;
    if let Some(url) = &args.smtp_url {
        mekaar_server::mail::check_smtp_url(url)?;
    }
    if let Some(from) = &args.mail_from {
        mekaar_server::mail::check_from("--mail-from", from).map_err(|e| e.message)?;
    }
    settings.mail.smtp_url = args.smtp_url;
    settings.mail.from = args.mail_from;
    let open_files = raise_open_file_limit();
    settings.connections.per_network = args.max_connections_per_network.max(1);
    settings.connections.total = match args.max_connections {
        Some(n) => n.max(1),
        // Every connection is a file; the database, the log and the files
        // a backup writes need some too.
        None => open_files.map_or(settings.connections.total, |n| {
            (n.saturating_sub(OPEN_FILE_RESERVE) as usize).max(64)
        }),
    };
    tracing::info!(
        "connections: at most {} in all, {} per network",
        settings.connections.total,
        settings.connections.per_network
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let seeded = match demo_listen {
            Some(demo_listen) => {
                let origins = vec![
                    format!("http://{demo_listen}"),
                    format!("http://localhost:{}", demo_listen.port()),
                ];
                // Before the server starts: nothing else uses the polls yet.
                let tallies = mekaar_server::polls::Tallies::new();
                Some(
                    demo::seed(&store, &tallies, &origins)
                        .await
                        .map_err(|e| e.message)?,
                )
            }
            None => None,
        };
        assets::warm_up();
        let mut running = server::start_with(store, listen, settings)
            .await
            .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
        println!(
            "Mekaar server:  {}/  (API {}/api/openapi.json)",
            running.url(),
            running.url()
        );
        if let (Some(demo_listen), Some(seeded)) = (demo_listen, seeded) {
            let host = demo::serve_host_site(demo_listen, running.url(), seeded.placeholders)
                .await
                .map_err(|e| format!("cannot listen on {demo_listen}: {e}"))?;
            println!("Demo host site: http://{host}/  (another origin, embeds the widgets)");
            for (role, token) in &seeded.new_tokens {
                println!(
                    "{} token of community `{}`: {token}",
                    role_name(*role),
                    demo::DEMO_COMMUNITY
                );
            }
            println!(
                "Sign in to the console with one of them: {}/admin  (the demo makes new tokens \
                 at every start; the ones it printed before no longer work)",
                running.url()
            );
        }
        tokio::select! {
            _ = running.wait() => {}
            _ = shutdown_signal() => tracing::info!("stopping"),
        }
        running.stop().await;
        Ok(())
    })
}

/// Open files kept free of connections (database, log, backups, accepts).
const OPEN_FILE_RESERVE: u64 = 256;

/// Every live viewer holds a connection: raise the soft limit on open files
/// to the hard limit the system allows (often 1,024 → 524,288).
fn raise_open_file_limit() -> Option<u64> {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => {
            tracing::info!("open-file limit: {limit}");
            Some(limit)
        }
        Err(err) => {
            tracing::warn!("cannot raise the open-file limit: {err}");
            None
        }
    }
}

/// `10.0.0.0/8` or a single address (`127.0.0.1`, `::1`).
fn parse_network(text: &str) -> Result<ipnet::IpNet, String> {
    let text = text.trim();
    text.parse::<ipnet::IpNet>()
        .or_else(|_| text.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("`{text}` is not an address or a network like 10.0.0.0/8"))
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}

//! Rate limits against flooding: submits, joins and reports per network.
//!
//! The network is identified by a keyed hash of the client's IP address
//! (an IPv6 address by its /64, which privacy extensions rotate inside),
//! with a secret that lives only in memory and rotates every day. The IP
//! itself is never stored or logged; the counters are in memory only.

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant};

use ::http::HeaderMap;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use hmac::{Hmac, Mac};
use ipnet::IpNet;
use mekaar_api::ErrorCode;
use rand::Rng;
use sha2::Sha256;

use crate::errors::{ApiError, ApiResult};

const SECRET_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// The window in which one network's failed guesses are counted.
pub const GUESS_WINDOW: Duration = Duration::from_secs(15 * 60);

/// Secrets a client may try to guess, each with its own budget of failures
/// per network in [`GUESS_WINDOW`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Guess {
    /// Admin tokens: console sign-ins and `Authorization: Bearer`. 256 bits
    /// each, so a spent budget slows down wrong tokens only: the right
    /// token always gets in.
    Token,
    /// A poll's printed vote codes (10 characters): a spent budget refuses
    /// every code, right or wrong, until the window moves on; otherwise
    /// guessing would go on at full speed and only the hits would pass.
    VoteCode,
    /// Join codes of polls (5 characters) and initiatives' short links (6), as
    /// [`Guess::VoteCode`].
    JoinCode,
}

/// Actions with a limit per network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Submit,
    Join,
    Report,
}

/// Sliding windows whose limit each community chooses (governor's quotas are
/// fixed when a limiter is made): reactions per voter key and per network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Window {
    /// Reactions of one voter key in one community, per 10 minutes.
    ReactionsPerKey,
    /// Reactions from one network in one community, per hour.
    ReactionsPerNetwork,
    /// "Link kwijt?" requests from one network in one community, per hour.
    LinkRequestsPerNetwork,
    /// "Link kwijt?" requests for one address in one community, per hour.
    LinkRequestsPerAddress,
}

impl Window {
    pub fn length(self) -> Duration {
        match self {
            Window::ReactionsPerKey => Duration::from_secs(10 * 60),
            Window::ReactionsPerNetwork
            | Window::LinkRequestsPerNetwork
            | Window::LinkRequestsPerAddress => Duration::from_secs(3600),
        }
    }

    fn what(self) -> &'static str {
        match self {
            Window::ReactionsPerKey => "reactions from this device",
            Window::ReactionsPerNetwork => "reactions from your network",
            Window::LinkRequestsPerNetwork => "link requests from your network",
            Window::LinkRequestsPerAddress => "link requests for this address",
        }
    }
}

/// How many of each action one network may do per hour (as a burst that
/// refills evenly over the hour). Generous enough for a school or an office.
#[derive(Debug, Clone)]
pub struct Limits {
    pub submits_per_hour: u32,
    pub joins_per_hour: u32,
    pub reports_per_hour: u32,
    /// Wrong admin tokens one network may send in [`GUESS_WINDOW`].
    pub sign_in_failures: u32,
    /// Unknown vote codes one network may try in [`GUESS_WINDOW`] (a class
    /// voting with codes from one school network makes some typos).
    pub vote_code_failures: u32,
    /// Unknown join codes one network may try in [`GUESS_WINDOW`].
    pub join_code_failures: u32,
    /// Reverse proxies whose `X-Forwarded-For` names the client: only a
    /// connection from one of these may say where a request came from.
    pub trusted_proxies: Vec<IpNet>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            submits_per_hour: 10,
            joins_per_hour: 60,
            reports_per_hour: 30,
            sign_in_failures: 10,
            vote_code_failures: 60,
            join_code_failures: 60,
            trusted_proxies: Vec::new(),
        }
    }
}

/// When one network's recent failed guesses of one kind happened, oldest first.
type FailureTimes = VecDeque<Instant>;

/// When one key's recent actions in a [`Window`] happened, oldest first.
type ActionTimes = VecDeque<Instant>;

pub struct Abuse {
    secret: RwLock<([u8; 32], Instant)>,
    submits: DefaultKeyedRateLimiter<[u8; 16]>,
    joins: DefaultKeyedRateLimiter<[u8; 16]>,
    reports: DefaultKeyedRateLimiter<[u8; 16]>,
    /// When each network's recent failed guesses happened, oldest first.
    /// Not a governor limiter: only failures count, and the budget must be
    /// looked at before a guess is checked without using it up, which
    /// governor cannot do (every check takes a cell).
    failed_guesses: Mutex<HashMap<(Guess, [u8; 16]), FailureTimes>>,
    guess_budgets: [(Guess, usize); 3],
    trusted_proxies: Vec<IpNet>,
    /// When each key's recent actions of a [`Window`] happened, oldest first.
    windows: Mutex<HashMap<(Window, [u8; 16]), ActionTimes>>,
}

/// An IPv4 address written as IPv6 (`::ffff:192.0.2.1`, from a dual-stack
/// socket) as the IPv4 address it is.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

fn hourly(n: u32) -> Quota {
    Quota::per_hour(NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN))
}

impl Abuse {
    pub fn new(limits: &Limits) -> Abuse {
        Abuse {
            secret: RwLock::new((rand::thread_rng().gen(), Instant::now())),
            submits: DefaultKeyedRateLimiter::keyed(hourly(limits.submits_per_hour)),
            joins: DefaultKeyedRateLimiter::keyed(hourly(limits.joins_per_hour)),
            reports: DefaultKeyedRateLimiter::keyed(hourly(limits.reports_per_hour)),
            failed_guesses: Mutex::new(HashMap::new()),
            guess_budgets: [
                (Guess::Token, limits.sign_in_failures.max(1) as usize),
                (Guess::VoteCode, limits.vote_code_failures.max(1) as usize),
                (Guess::JoinCode, limits.join_code_failures.max(1) as usize),
            ],
            trusted_proxies: limits.trusted_proxies.clone(),
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Whether `ip` is one of the configured reverse proxies, whose
    /// `X-Forwarded-For` and `X-Forwarded-Proto` are believed.
    pub fn is_trusted_proxy(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.trusted_proxies.iter().any(|net| net.contains(&ip))
    }

    /// The client's address: the connection's, or, when the connection comes
    /// from a trusted proxy, the proxies' word for it.
    ///
    /// `X-Forwarded-For` is read from the right: each proxy appends the
    /// address it saw, so the entries we believe are those appended by our
    /// trusted proxies, and the client is the first address from the right
    /// that is not one of them. Entries left of it come from the client and
    /// could name any address (a fresh one per request would escape every
    /// limit). A connection from anywhere else gets no say at all.
    pub fn client_ip(&self, remote: Option<SocketAddr>, headers: &HeaderMap) -> Option<IpAddr> {
        let remote = remote.map(|r| canonical(r.ip()))?;
        if !self.is_trusted_proxy(remote) {
            return Some(remote);
        }
        let mut client = remote;
        for line in headers.get_all("x-forwarded-for").iter().rev() {
            let Ok(line) = line.to_str() else {
                return Some(client);
            };
            for entry in line.rsplit(',') {
                let Ok(ip) = entry.trim().parse::<IpAddr>() else {
                    return Some(client);
                };
                client = canonical(ip);
                if !self.is_trusted_proxy(client) {
                    return Some(client);
                }
            }
        }
        Some(client)
    }

    /// The network of `ip` (an IPv4 address, an IPv6 /64), as 16 bytes that
    /// are only ever hashed: by [`Abuse::network_key`] for the limits in
    /// memory, and with a poll round's stored secret for its network cap.
    pub fn network_of(ip: IpAddr) -> [u8; 16] {
        let mut network = [0u8; 16];
        match canonical(ip) {
            IpAddr::V4(v4) => {
                network[0] = 4;
                network[1..5].copy_from_slice(&v4.octets());
            }
            IpAddr::V6(v6) => {
                network[0] = 6;
                network[1..9].copy_from_slice(&v6.octets()[..8]);
            }
        }
        network
    }

    /// A keyed hash naming the network of `ip`, never the address itself.
    pub fn network_key(&self, ip: IpAddr) -> [u8; 16] {
        let secret = self.current_secret();
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&secret).expect("HMAC takes keys of any length");
        mac.update(&Abuse::network_of(ip));
        let mut key = [0u8; 16];
        key.copy_from_slice(&mac.finalize().into_bytes()[..16]);
        key
    }

    fn current_secret(&self) -> [u8; 32] {
        {
            let guard = self.secret.read().unwrap_or_else(|e| e.into_inner());
            if guard.1.elapsed() < SECRET_LIFETIME {
                return guard.0;
            }
        }
        let mut guard = self.secret.write().unwrap_or_else(|e| e.into_inner());
        if guard.1.elapsed() >= SECRET_LIFETIME {
            *guard = (rand::thread_rng().gen(), Instant::now());
        }
        guard.0
    }

    /// Passes when the network may do `action` once more now; else 429 with
    /// how long to wait.
    pub fn check(&self, action: Action, ip: Option<IpAddr>) -> ApiResult<()> {
        // Without an address (a Unix socket, a test harness) there is nothing to key on.
        let Some(ip) = ip else { return Ok(()) };
        let key = self.network_key(ip);
        let limiter = match action {
            Action::Submit => &self.submits,
            Action::Join => &self.joins,
            Action::Report => &self.reports,
        };
        limiter.check_key(&key).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            let minutes = wait.as_secs().div_ceil(60).max(1);
            let what = match action {
                Action::Submit => "new initiatives",
                Action::Join => "joins",
                Action::Report => "reports",
            };
            let mut error = ApiError::new(
                ErrorCode::RateLimited,
                format!("Too many {what} from your network right now; please try again in {minutes} minute(s)."),
            );
            error.retry_after_secs = Some(wait.as_secs().max(1));
            error
        })
    }

    fn guess_budget(&self, kind: Guess) -> usize {
        self.guess_budgets
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(1, |(_, budget)| *budget)
    }

    /// Passes while the network has made fewer failed guesses of `kind` than
    /// its budget in the last [`GUESS_WINDOW`]; else 429 until the oldest
    /// of them leaves the window. Spends nothing: only
    /// [`Abuse::guess_failed`] does.
    pub fn check_guesses(&self, kind: Guess, ip: Option<IpAddr>) -> ApiResult<()> {
        let Some(ip) = ip else { return Ok(()) };
        let key = (kind, self.network_key(ip));
        let now = Instant::now();
        let mut failures = self
            .failed_guesses
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let Some(times) = failures.get_mut(&key) else {
            return Ok(());
        };
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) >= GUESS_WINDOW)
        {
            times.pop_front();
        }
        if times.len() < self.guess_budget(kind) {
            return Ok(());
        }
        let wait = times
            .front()
            .map_or(GUESS_WINDOW, |oldest| {
                GUESS_WINDOW.saturating_sub(now.duration_since(*oldest))
            })
            .as_secs()
            .max(1);
        let minutes = wait.div_ceil(60);
        let what = match kind {
            Guess::Token => "wrong tokens",
            Guess::VoteCode => "unknown vote codes",
            Guess::JoinCode => "unknown poll codes or short links",
        };
        let mut error = ApiError::new(
            ErrorCode::RateLimited,
            format!("Too many {what} from your network; please try again in {minutes} minute(s)."),
        );
        error.retry_after_secs = Some(wait);
        Err(error)
    }

    /// Counts a failed guess of the network (a wrong token, an unknown code).
    pub fn guess_failed(&self, kind: Guess, ip: Option<IpAddr>) {
        let Some(ip) = ip else { return };
        let key = (kind, self.network_key(ip));
        let budget = self.guess_budget(kind);
        let mut failures = self
            .failed_guesses
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let times = failures.entry(key).or_default();
        times.push_back(Instant::now());
        // Only the newest `budget` failures decide anything.
        while times.len() > budget {
            times.pop_front();
        }
    }

    /// A keyed hash of `parts` (e.g. a community and a voter hash, or a
    /// community and the network of `ip`) for [`Abuse::take`]: nothing in
    /// memory names a network or a voter key.
    pub fn window_key(&self, parts: &[&[u8]]) -> [u8; 16] {
        let secret = self.current_secret();
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&secret).expect("HMAC takes keys of any length");
        for part in parts {
            mac.update(&(part.len() as u32).to_be_bytes());
            mac.update(part);
        }
        let mut key = [0u8; 16];
        key.copy_from_slice(&mac.finalize().into_bytes()[..16]);
        key
    }

    /// Passes and counts when `key` did fewer than `limit` actions in the
    /// last [`Window::length`]; else 429 until the oldest leaves the window.
    pub fn take(&self, window: Window, key: [u8; 16], limit: u32) -> ApiResult<()> {
        let now = Instant::now();
        let length = window.length();
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        let times = windows.entry((window, key)).or_default();
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) >= length)
        {
            times.pop_front();
        }
        if times.len() < limit.max(1) as usize {
            times.push_back(now);
            return Ok(());
        }
        let wait = times
            .front()
            .map_or(length, |oldest| {
                length.saturating_sub(now.duration_since(*oldest))
            })
            .as_secs()
            .max(1);
        let minutes = wait.div_ceil(60);
        let mut error = ApiError::new(
            ErrorCode::RateLimited,
            format!(
                "Too many {} right now; please try again in {minutes} minute(s).",
                window.what()
            ),
        );
        error.retry_after_secs = Some(wait);
        Err(error)
    }

    /// Forgets networks that have been quiet (call now and then).
    pub fn forget_quiet_networks(&self) {
        self.windows
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|(window, _), times| {
                times
                    .back()
                    .is_some_and(|newest| newest.elapsed() < window.length())
            });
        self.submits.retain_recent();
        self.joins.retain_recent();
        self.reports.retain_recent();
        self.failed_guesses
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|_, times| {
                times
                    .back()
                    .is_some_and(|newest| newest.elapsed() < GUESS_WINDOW)
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_network_is_limited_and_another_is_not() {
        let abuse = Abuse::new(&Limits {
            submits_per_hour: 2,
            ..Default::default()
        });
        let school: IpAddr = "192.0.2.10".parse().unwrap();
        let other: IpAddr = "198.51.100.7".parse().unwrap();
        assert!(abuse.check(Action::Submit, Some(school)).is_ok());
        assert!(abuse.check(Action::Submit, Some(school)).is_ok());
        let refused = abuse.check(Action::Submit, Some(school)).unwrap_err();
        assert_eq!(refused.code, ErrorCode::RateLimited);
        assert!(refused.retry_after_secs.unwrap() > 0);
        assert!(abuse.check(Action::Submit, Some(other)).is_ok());
        // Other actions have their own budget.
        assert!(abuse.check(Action::Join, Some(school)).is_ok());
    }

    #[test]
    fn a_window_refuses_past_its_limit_with_a_wait_and_keys_are_separate() {
        let abuse = Abuse::new(&Limits::default());
        let key = abuse.window_key(&[b"baarlo", b"voter-a"]);
        let other = abuse.window_key(&[b"baarlo", b"voter-b"]);
        assert_ne!(key, other);
        for _ in 0..3 {
            abuse.take(Window::ReactionsPerKey, key, 3).unwrap();
        }
        let refused = abuse.take(Window::ReactionsPerKey, key, 3).unwrap_err();
        assert_eq!(refused.code, ErrorCode::RateLimited);
        assert!((1..=600).contains(&refused.retry_after_secs.unwrap()));
        abuse.take(Window::ReactionsPerKey, other, 3).unwrap();
        // The same key in another window has its own count.
        abuse.take(Window::ReactionsPerNetwork, key, 3).unwrap();
    }

    #[test]
    fn only_failed_guesses_count_each_kind_on_its_own() {
        let abuse = Abuse::new(&Limits {
            sign_in_failures: 3,
            vote_code_failures: 2,
            ..Default::default()
        });
        let office: IpAddr = "192.0.2.10".parse().unwrap();
        let other: IpAddr = "198.51.100.7".parse().unwrap();
        // Checking alone spends nothing.
        for _ in 0..10 {
            assert!(abuse.check_guesses(Guess::Token, Some(office)).is_ok());
        }
        for _ in 0..3 {
            assert!(abuse.check_guesses(Guess::Token, Some(office)).is_ok());
            abuse.guess_failed(Guess::Token, Some(office));
        }
        let refused = abuse.check_guesses(Guess::Token, Some(office)).unwrap_err();
        assert_eq!(refused.code, ErrorCode::RateLimited);
        let wait = refused.retry_after_secs.unwrap();
        assert!(wait > 0 && wait <= GUESS_WINDOW.as_secs(), "{wait}");
        assert!(abuse.check_guesses(Guess::Token, Some(other)).is_ok());
        // Other kinds keep their own budget.
        assert!(abuse.check_guesses(Guess::VoteCode, Some(office)).is_ok());
        abuse.guess_failed(Guess::VoteCode, Some(office));
        abuse.guess_failed(Guess::VoteCode, Some(office));
        assert!(abuse.check_guesses(Guess::VoteCode, Some(office)).is_err());
        assert!(abuse.check_guesses(Guess::JoinCode, Some(office)).is_ok());
        assert!(abuse.check(Action::Submit, Some(office)).is_ok());
    }

    #[test]
    fn ipv6_privacy_addresses_share_their_network() {
        let abuse = Abuse::new(&Limits::default());
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:abcd::9".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(abuse.network_key(a), abuse.network_key(b));
        assert_ne!(abuse.network_key(a), abuse.network_key(c));
    }

    #[test]
    fn behind_a_proxy_the_address_it_appended_counts_not_what_the_client_wrote() {
        let abuse = Abuse::new(&Limits {
            trusted_proxies: vec![
                "127.0.0.1/32".parse().unwrap(),
                "10.0.0.0/8".parse().unwrap(),
            ],
            ..Default::default()
        });
        let proxy: SocketAddr = "127.0.0.1:40000".parse().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "203.0.113.9, 198.51.100.7".parse().unwrap(),
        );
        let seen = abuse.client_ip(Some(proxy), &headers);
        assert_eq!(seen, Some("198.51.100.7".parse().unwrap()));
        // Two header lines: the proxy's is the last.
        headers.append("x-forwarded-for", "192.0.2.44".parse().unwrap());
        let seen = abuse.client_ip(Some(proxy), &headers);
        assert_eq!(seen, Some("192.0.2.44".parse().unwrap()));
        // A chain of our own proxies: the first address that is not one of them.
        headers.append("x-forwarded-for", "10.1.2.3".parse().unwrap());
        assert_eq!(
            abuse.client_ip(Some(proxy), &headers),
            Some("192.0.2.44".parse().unwrap())
        );
        // The same header from a connection that is not a trusted proxy means
        // nothing: the client reached us directly and wrote it itself.
        let direct: SocketAddr = "198.51.100.99:5000".parse().unwrap();
        assert_eq!(abuse.client_ip(Some(direct), &headers), Some(direct.ip()));
        // Without any trusted proxy the header means nothing either.
        let nobody = Abuse::new(&Limits::default());
        assert_eq!(nobody.client_ip(Some(proxy), &headers), Some(proxy.ip()));
        // Garbage in the header: the last believable address counts.
        let mut garbage = HeaderMap::new();
        garbage.insert("x-forwarded-for", "not-an-ip".parse().unwrap());
        assert_eq!(abuse.client_ip(Some(proxy), &garbage), Some(proxy.ip()));
    }
}

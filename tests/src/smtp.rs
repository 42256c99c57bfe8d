//! A real SMTP server for the mail tests: aiosmtpd (Debian's `python3-aiosmtpd`,
//! installed by `scripts/setup`) on a loopback port, delivering into a Maildir that
//! the tests read with `mail-parser`. Recipients whose local part starts with
//! `bounce` are refused with 550 (a permanent failure). See `tests/smtp/server.py`.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use mail_parser::{MessageParser, MimeHeaders};
use tempfile::TempDir;

/// The SMTP server; killed when dropped.
pub struct SmtpServer {
    child: Child,
    pub port: u16,
    /// The Maildir the messages go into.
    pub dir: TempDir,
}

/// One delivered message, as a reader sees it.
#[derive(Debug, Clone)]
pub struct Delivered {
    pub to: String,
    pub from: String,
    pub subject: String,
    /// The text/plain body.
    pub text: String,
    /// The content type of the (first) text part, e.g. `text/plain`.
    pub text_type: String,
    pub list_unsubscribe: Option<String>,
    pub list_unsubscribe_post: Option<String>,
}

impl SmtpServer {
    /// Starts a server on `port` (e.g. from [`crate::bench::free_loopback_port`]) and
    /// waits until it listens.
    pub fn start(port: u16) -> SmtpServer {
        let dir = tempfile::tempdir().expect("maildir");
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("smtp/server.py");
        // Debian's own Python: python3-aiosmtpd is installed for it (a python3 of
        // pyenv or a virtualenv earlier in PATH would not have it).
        let python = ["/usr/bin/python3", "python3"]
            .into_iter()
            .find(|p| !p.starts_with('/') || std::path::Path::new(p).exists())
            .unwrap_or("python3");
        let mut child = Command::new(python)
            .arg(&script)
            .arg(port.to_string())
            .arg(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 with aiosmtpd (scripts/setup installs python3-aiosmtpd)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("the SMTP server's first line");
        assert_eq!(line.trim(), "ready", "the SMTP server did not start");
        SmtpServer { child, port, dir }
    }

    /// Every message delivered so far, in no particular order.
    pub fn messages(&self) -> Vec<Delivered> {
        let mut out = vec![];
        for sub in ["new", "cur"] {
            let Ok(entries) = std::fs::read_dir(self.dir.path().join(sub)) else {
                continue;
            };
            for entry in entries.flatten() {
                let Ok(bytes) = std::fs::read(entry.path()) else {
                    continue;
                };
                let Some(message) = MessageParser::default().parse(&bytes[..]) else {
                    continue;
                };
                let text_type = message
                    .text_part(0)
                    .and_then(|part| part.content_type())
                    .map(|ct| format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or("")))
                    .unwrap_or_default();
                let address = |a: Option<&mail_parser::Address>| {
                    a.and_then(|a| a.first())
                        .and_then(|a| a.address())
                        .unwrap_or("")
                        .to_string()
                };
                let header = |name: &str| message.header_raw(name).map(|v| v.trim().to_string());
                out.push(Delivered {
                    to: address(message.to()),
                    from: address(message.from()),
                    subject: message.subject().unwrap_or("").to_string(),
                    text: message
                        .body_text(0)
                        .map(|t| t.to_string())
                        .unwrap_or_default(),
                    text_type,
                    list_unsubscribe: header("List-Unsubscribe"),
                    list_unsubscribe_post: header("List-Unsubscribe-Post"),
                });
            }
        }
        out
    }

    /// The messages to `to`.
    pub fn messages_to(&self, to: &str) -> Vec<Delivered> {
        self.messages().into_iter().filter(|m| m.to == to).collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The link in `text` that starts with `prefix` (up to the next whitespace).
pub fn link_in(text: &str, prefix: &str) -> Option<String> {
    let start = text.find(prefix)?;
    Some(
        text[start..]
            .split(|c: char| c.is_whitespace())
            .next()?
            .to_string(),
    )
}

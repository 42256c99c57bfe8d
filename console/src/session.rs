//! The signed-in session: who is signed in, for which community, in which role.
//!
//! The server keeps the session; the browser holds only its cookie (`mekaar_session`,
//! HttpOnly, SameSite=Strict, so no script can read it) and the CSRF token from the
//! sign-in answer, which [`crate::api`] sends on unsafe methods.
//!
//! Screens read the session from the [`SessionContext`] the app provides:
//!
//! ```ignore
//! let session = use_session();
//! let path = api::admin_path(&session.info.community, "/polls");
//! if session.info.role.may(Screen::Settings) { … }
//! ```

use std::rc::Rc;

use mekaar_api::admin::SessionCreate;
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::app::Screen;
use crate::i18n::Key;

/// `/api/v1/session`: sign in (POST), who am I (GET), sign out (DELETE).
pub fn session_path() -> String {
    format!("{}/session", mekaar_api::API_PREFIX)
}

pub use mekaar_api::admin::{Role, SessionInfo};

/// What the console makes of a role: its name for people, the screens it may use (the
/// server checks every call as well) and the one it starts on.
pub trait RoleInConsole {
    fn key(self) -> Key;
    fn may(self, screen: Screen) -> bool;
    fn home(self) -> Screen;
}

impl RoleInConsole for Role {
    fn key(self) -> Key {
        match self {
            Role::Admin => Key::RoleAdmin,
            Role::Moderator => Key::RoleModerator,
            Role::PollEditor => Key::RolePollEditor,
        }
    }

    fn may(self, screen: Screen) -> bool {
        match screen {
            Screen::Settings | Screen::Export => self == Role::Admin,
            Screen::Moderation => matches!(self, Role::Admin | Role::Moderator),
            Screen::Polls => matches!(self, Role::Admin | Role::PollEditor),
            Screen::Reactions => matches!(self, Role::Admin | Role::Moderator),
            // Moderators see the funnel; admins also edit the steps.
            Screen::Steps => matches!(self, Role::Admin | Role::Moderator),
            Screen::Snippet | Screen::Audit | Screen::Topics => true,
        }
    }

    fn home(self) -> Screen {
        match self {
            Role::Admin => Screen::Settings,
            Role::Moderator => Screen::Moderation,
            Role::PollEditor => Screen::Polls,
        }
    }
}

/// The session, as the app provides it to every screen.
#[derive(Clone, PartialEq)]
pub struct SessionContext {
    pub info: Rc<SessionInfo>,
    /// Signs out (ends the session on the server) and shows the sign-in screen.
    pub sign_out: Callback<()>,
    /// Signs out like [`Self::sign_out`] but keeps the address: signing in with another
    /// community's token opens the same screen there (a control link of another
    /// community's poll).
    pub switch: Callback<()>,
    /// Updates what the header shows (e.g. after the community was renamed).
    pub update: Callback<SessionInfo>,
}

/// The session from the [`SessionContext`]; screens are only rendered inside one. Outside
/// one (which would be a bug) it is an empty session that may do nothing useful.
#[hook]
pub fn use_session() -> SessionContext {
    use_context::<SessionContext>().unwrap_or_else(|| SessionContext {
        info: Rc::new(SessionInfo::default()),
        sign_out: Callback::noop(),
        switch: Callback::noop(),
        update: Callback::noop(),
    })
}

/// Signs in with a community token; on success the CSRF token is in use.
pub async fn sign_in(token: &str) -> Result<SessionInfo, ApiError> {
    let info: SessionInfo = api::post(
        &session_path(),
        &SessionCreate {
            token: token.to_string(),
        },
    )
    .await?;
    api::set_csrf(Some(info.csrf.clone()));
    FRESH.with(|f| f.set(js_sys::Date::now()));
    Ok(info)
}

thread_local! {
    /// When the user signed in (ms since the epoch), until a screen asks [`just_signed_in`].
    static FRESH: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
}

/// Whether the user signed in within the last 3 seconds (answered once): a screen that one
/// reaches through the sign-in (the poll control link) may then put the focus on its
/// first control; a screen opened later keeps the focus on its heading.
pub fn just_signed_in() -> bool {
    js_sys::Date::now() - FRESH.with(|f| f.replace(0.0)) < 3_000.0
}

/// The user went elsewhere after signing in: no screen takes the focus for the sign-in.
pub fn forget_sign_in() {
    FRESH.with(|f| f.set(0.0));
}

/// The current session, if the browser has one (`Ok(None)` on 401).
pub async fn current() -> Result<Option<SessionInfo>, ApiError> {
    match api::get::<SessionInfo>(&session_path()).await {
        Ok(info) => {
            api::set_csrf(Some(info.csrf.clone()));
            Ok(Some(info))
        }
        Err(e) if e.status == 401 => Ok(None),
        Err(e) => Err(e),
    }
}

/// Ends the session on the server. The CSRF token is forgotten whatever the answer.
pub async fn sign_out() -> Result<(), ApiError> {
    let result = api::delete(&session_path()).await;
    api::set_csrf(None);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_and_screens() {
        assert!(Role::Admin.may(Screen::Settings));
        assert!(!Role::Moderator.may(Screen::Settings));
        assert!(Role::Moderator.may(Screen::Moderation));
        assert!(!Role::Moderator.may(Screen::Polls));
        assert!(Role::PollEditor.may(Screen::Polls));
        assert!(Role::PollEditor.may(Screen::Audit));
        assert!(!Role::PollEditor.may(Screen::Export));
        // Reactions: moderated by admins and moderators; threads opened and closed by
        // poll editors too.
        assert!(Role::Moderator.may(Screen::Reactions));
        assert!(!Role::PollEditor.may(Screen::Reactions));
        for role in Role::ALL {
            assert!(role.may(Screen::Topics));
        }
        for role in Role::ALL {
            assert!(role.may(role.home()));
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
    }
}

//! Next steps: the way from idea to result that a community lays out (e.g.
//! "Zoek 3 medestanders", "Meld je initiatief bij de dorpsraad", "Vraag het
//! leefbaarheidsbudget aan"), ticked per initiative by its initiator or a
//! moderator.
//!
//! Routes (public):
//! - `GET /api/v1/communities/{c}/steps` → `Vec<Step>` (the community's steps, in order).
//! - `GET /api/v1/communities/{c}/initiatives/{id}/steps` → [`InitiativeSteps`].
//! - `PUT /api/v1/communities/{c}/initiatives/{id}/steps/{step}` with `Mekaar-Manage` and
//!   a [`StepTick`] → [`InitiativeSteps`]. Refusals: 404 `step_not_found`, 409
//!   `step_locked` (ticking a step whose threshold is not reached; un-ticking always works).
//!
//! Admin:
//! - `GET|PUT /api/v1/admin/communities/{c}/steps` (role admin): `Vec<Step>`; a PUT
//!   replaces the list as a whole ([`StepInput`]s; a given `id` keeps that step and its
//!   ticks, a missing one makes a new step; ticks of a step left out are deleted).
//! - `PUT /api/v1/admin/communities/{c}/initiatives/{id}/steps/{step}` (admin, moderator).
//! - `GET /api/v1/admin/communities/{c}/steps/funnel` (admin, moderator) → [`Funnel`].

use serde::{Deserialize, Serialize};

use crate::InitiativeStatus;

pub mod limits {
    pub const TITLE: usize = 120;
    pub const DESCRIPTION: usize = 500;
    pub const URL: usize = 500;
    /// Most steps a community may define.
    pub const STEPS_MAX: usize = 20;
}

/// One step of a community's way from idea to result.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Step {
    pub id: String,
    pub title: String,
    /// Plain text.
    #[serde(default)]
    pub description: String,
    /// An `http(s)` link, e.g. the municipality's subsidy page.
    #[serde(default)]
    pub link: Option<String>,
    /// The step can be ticked once the initiative has this many supports.
    #[serde(default)]
    pub unlock_supports: Option<u64>,
    /// The step can be ticked once the initiative has reached this status (or a
    /// later one: idea < seeking_supporters < in_progress < realised; stopped unlocks nothing).
    #[serde(default)]
    pub unlock_status: Option<InitiativeStatus>,
}

/// One step in the admin's list; without `id` a new step.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct StepInput {
    #[serde(default)]
    pub id: Option<String>,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub link: Option<String>,
    #[serde(default)]
    pub unlock_supports: Option<u64>,
    #[serde(default)]
    pub unlock_status: Option<InitiativeStatus>,
}

/// A step as one initiative stands on it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct InitiativeStep {
    #[serde(flatten)]
    pub step: Step,
    pub done: bool,
    /// When it was ticked (seconds since the epoch).
    #[serde(default)]
    pub done_at: Option<u64>,
    /// Whether its threshold is reached (a step without one is always unlocked).
    pub unlocked: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct InitiativeSteps {
    pub steps: Vec<InitiativeStep>,
}

/// Body of ticking or un-ticking a step.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct StepTick {
    pub done: bool,
}

/// Where the community's initiatives are on the way (published ones, not stopped).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Funnel {
    /// Initiatives counted.
    pub initiatives: u64,
    pub steps: Vec<FunnelStep>,
    /// Initiatives with every step done.
    #[serde(default)]
    pub all_done: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FunnelStep {
    pub id: String,
    pub title: String,
    /// Initiatives that ticked this step.
    pub done: u64,
    /// Initiatives for which this is the first step not yet done: where they are now.
    pub current: u64,
}

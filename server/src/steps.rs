//! Next steps: the way from idea to result that a community lays out
//! (stored in the community's record), ticked per initiative by its
//! initiator or a moderator (the moments stored in the initiative's record),
//! and the funnel: where the community's initiatives are on that way.

use std::collections::{BTreeMap, BTreeSet};

use mekaar_api::steps::{
    limits, Funnel, FunnelStep, InitiativeStep, InitiativeSteps, Step, StepInput,
};
use mekaar_api::{ErrorCode, InitiativeStatus, WebhookEvent};

use crate::communities::{self, check_paragraphs, check_text, Community};
use crate::errors::{ApiError, ApiResult};
use crate::initiatives::{self, Initiative};
use crate::moderation;
use crate::secrets;
use crate::store::Store;
use crate::webhooks;

/// The highest support count a step may ask for (more than any village has).
pub const UNLOCK_SUPPORTS_MAX: u64 = 1_000_000;

pub fn step_not_found(id: &str) -> ApiError {
    ApiError::new(
        ErrorCode::StepNotFound,
        format!("No step `{id}` in this community."),
    )
}

fn step_locked(step: &Step) -> ApiError {
    ApiError::new(
        ErrorCode::StepLocked,
        format!(
            "The step `{}` cannot be ticked yet: its threshold is not reached.",
            step.id
        ),
    )
}

/// Checks the admin's list and makes it the steps (ids kept where given,
/// new ones made for the others).
pub fn check_list(old: &[Step], inputs: Vec<StepInput>) -> ApiResult<Vec<Step>> {
    if inputs.len() > limits::STEPS_MAX {
        return Err(ApiError::invalid_field(
            "steps",
            format!(
                "{} steps, at most {} are allowed",
                inputs.len(),
                limits::STEPS_MAX
            ),
        ));
    }
    let mut seen = BTreeSet::new();
    let mut steps = Vec::with_capacity(inputs.len());
    for (n, input) in inputs.into_iter().enumerate() {
        let field = |name: &str| format!("steps[{n}].{name}");
        let id = match input.id {
            Some(id) => {
                if !old.iter().any(|s| s.id == id) {
                    return Err(step_not_found(&id));
                }
                if !seen.insert(id.clone()) {
                    return Err(ApiError::invalid_field(
                        &field("id"),
                        "appears twice in the list",
                    ));
                }
                id
            }
            None => secrets::new_id(),
        };
        let title = check_text(&field("title"), &input.title, limits::TITLE)?;
        let description = if input.description.trim().is_empty() {
            String::new()
        } else {
            check_paragraphs(
                &field("description"),
                &input.description,
                limits::DESCRIPTION,
            )?
        };
        let link = match input.link.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(link) => Some(check_link(&field("link"), link)?),
        };
        let unlock_supports = match input.unlock_supports {
            None | Some(0) => None,
            Some(n) if n > UNLOCK_SUPPORTS_MAX => {
                return Err(ApiError::invalid_field(
                    &field("unlock_supports"),
                    format!("must be at most {UNLOCK_SUPPORTS_MAX}"),
                ))
            }
            Some(n) => Some(n),
        };
        let unlock_status = match input.unlock_status {
            Some(InitiativeStatus::Stopped) => return Err(ApiError::invalid_field(
                &field("unlock_status"),
                "`stopped` unlocks nothing: use idea, seeking_supporters, in_progress or realised",
            )),
            // Every initiative is at least an idea: no threshold.
            Some(InitiativeStatus::Idea) | None => None,
            other => other,
        };
        steps.push(Step {
            id,
            title,
            description,
            link,
            unlock_supports,
            unlock_status,
        });
    }
    Ok(steps)
}

/// An absolute `http(s)://` link with a host, without credentials, at most
/// [`limits::URL`] characters; returned as the URL parser writes it.
fn check_link(field: &str, link: &str) -> ApiResult<String> {
    let bad = |why: &str| ApiError::invalid_field(field, why);
    let too_long =
        || ApiError::invalid_field(field, format!("must be at most {} characters", limits::URL));
    if link.chars().count() > limits::URL {
        return Err(too_long());
    }
    let parsed = url::Url::parse(link)
        .map_err(|_| bad("must be a web address like https://www.example.nl/subsidie"))?;
    if !matches!(parsed.scheme(), "https" | "http") {
        return Err(bad("must start with https:// or http://"));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(bad(
            "must name a site, like https://www.example.nl/subsidie",
        ));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(bad("must not hold a user name or password"));
    }
    let out = parsed.to_string();
    if out.chars().count() > limits::URL {
        return Err(too_long());
    }
    Ok(out)
}

/// Replaces the community's steps; ticks of steps left out are deleted.
/// Returns the steps before and after.
pub fn replace(
    store: &Store,
    community: &Community,
    inputs: Vec<StepInput>,
) -> ApiResult<(Vec<Step>, Vec<Step>)> {
    let mut before = Vec::new();
    // May run again when another write came in between: checked anew each time.
    let updated = communities::change(store, &community.slug, |c| {
        before = c.steps.clone();
        c.steps = check_list(&c.steps, inputs.clone())?;
        Ok(())
    })?;
    let kept: BTreeSet<&str> = updated.steps.iter().map(|s| s.id.as_str()).collect();
    let removed: Vec<&Step> = before
        .iter()
        .filter(|s| !kept.contains(s.id.as_str()))
        .collect();
    if !removed.is_empty() {
        for initiative in initiatives::all(store, &updated)? {
            if initiative
                .steps_done
                .keys()
                .any(|id| !kept.contains(id.as_str()))
            {
                initiatives::update(store, &updated, &initiative.id, |mut i| {
                    i.steps_done.retain(|id, _| kept.contains(id.as_str()));
                    Ok(i)
                })?;
            }
        }
    }
    Ok((before, updated.steps))
}

/// idea < seeking_supporters < in_progress < realised; stopped is none of them.
fn rank(status: InitiativeStatus) -> Option<u8> {
    match status {
        InitiativeStatus::Idea => Some(0),
        InitiativeStatus::SeekingSupporters => Some(1),
        InitiativeStatus::InProgress => Some(2),
        InitiativeStatus::Realised => Some(3),
        InitiativeStatus::Stopped => None,
    }
}

/// Whether an initiative with `supports` and `status` may tick `step`.
pub fn is_unlocked(step: &Step, supports: u64, status: InitiativeStatus) -> bool {
    let supports_ok = step.unlock_supports.is_none_or(|n| supports >= n);
    let status_ok = match step.unlock_status {
        None => true,
        Some(wanted) => match (rank(status), rank(wanted)) {
            (Some(have), Some(want)) => have >= want,
            _ => false,
        },
    };
    supports_ok && status_ok
}

fn supports_of(store: &Store, community: &Community, initiative: &Initiative) -> ApiResult<u64> {
    crate::supports::count(store, community, &initiative.id)
}

/// How `initiative` stands on each of the community's steps.
pub fn view(
    store: &Store,
    community: &Community,
    initiative: &Initiative,
) -> ApiResult<InitiativeSteps> {
    let supports = supports_of(store, community, initiative)?;
    Ok(InitiativeSteps {
        steps: community
            .steps
            .iter()
            .map(|step| {
                let done_at = initiative.steps_done.get(&step.id).copied();
                InitiativeStep {
                    step: step.clone(),
                    done: done_at.is_some(),
                    done_at,
                    unlocked: is_unlocked(step, supports, initiative.status),
                }
            })
            .collect(),
    })
}

/// Ticks (`done`) or un-ticks a step of an initiative, by `actor` (the
/// initiator or a moderator): audited, and a `step_done` webhook event when
/// it becomes done. Doing what is already so changes nothing. The caller
/// makes it durable.
pub fn tick(
    store: &Store,
    community: &Community,
    id: &str,
    step_id: &str,
    done: bool,
    actor: &str,
) -> ApiResult<InitiativeSteps> {
    let step = community
        .steps
        .iter()
        .find(|s| s.id == step_id)
        .ok_or_else(|| step_not_found(step_id))?;
    let current = initiatives::get(store, community, id)?;
    if current.steps_done.contains_key(step_id) == done {
        return view(store, community, &current);
    }
    if done
        && !is_unlocked(
            step,
            supports_of(store, community, &current)?,
            current.status,
        )
    {
        return Err(step_locked(step));
    }
    let mut changed = false;
    let after = initiatives::update(store, community, id, |mut initiative| {
        changed = initiative.steps_done.contains_key(step_id) != done;
        if done {
            initiative
                .steps_done
                .entry(step_id.to_string())
                .or_insert_with(secrets::now_secs);
        } else {
            initiative.steps_done.remove(step_id);
        }
        Ok(initiative)
    })?;
    if changed {
        let action = if done { "step_done" } else { "step_undone" };
        let about = serde_json::json!({ "step": step.id, "title": step.title });
        // The initiative by id and title (as other entries' snapshots), and the step.
        let snapshot = serde_json::json!({
            "id": id,
            "title": after.title,
            "step": { "id": step.id, "title": step.title },
        });
        moderation::append_audit(
            store,
            community,
            (actor, action, Some(id)),
            format!("step {}: {}", step.id, step.title),
            (None, Some(snapshot)),
        )?;
        if done {
            let card = initiatives::card(store, community, &after)?;
            webhooks::announce(store, community, WebhookEvent::StepDone, &card, about)?;
        }
    }
    view(store, community, &after)
}

/// Where the community's published, not stopped initiatives are on the way.
pub fn funnel(store: &Store, community: &Community) -> ApiResult<Funnel> {
    let mut done: BTreeMap<&str, u64> = BTreeMap::new();
    let mut current: BTreeMap<&str, u64> = BTreeMap::new();
    let (mut counted, mut all_done) = (0, 0);
    for initiative in initiatives::all(store, community)? {
        if !initiative.is_public() || initiative.status == InitiativeStatus::Stopped {
            continue;
        }
        counted += 1;
        let mut first_open = None;
        for step in &community.steps {
            if initiative.steps_done.contains_key(&step.id) {
                *done.entry(&step.id).or_default() += 1;
            } else if first_open.is_none() {
                first_open = Some(step.id.as_str());
            }
        }
        match first_open {
            Some(id) => *current.entry(id).or_default() += 1,
            None => all_done += 1,
        }
    }
    Ok(Funnel {
        initiatives: counted,
        steps: community
            .steps
            .iter()
            .map(|s| FunnelStep {
                id: s.id.clone(),
                title: s.title.clone(),
                done: done.get(s.id.as_str()).copied().unwrap_or(0),
                current: current.get(s.id.as_str()).copied().unwrap_or(0),
            })
            .collect(),
        all_done,
    })
}

/// Audits a replaced list (`steps_update`), noting only when it changed.
pub fn audit_replace(
    store: &Store,
    community: &Community,
    actor: &str,
    (before, after): (&[Step], &[Step]),
) -> ApiResult<()> {
    moderation::audit_settings(
        store,
        community,
        actor,
        "steps_update",
        Some(&format!("{} steps", after.len())),
        (
            &serde_json::json!({ "steps": before }),
            &serde_json::json!({ "steps": after }),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(supports: Option<u64>, status: Option<InitiativeStatus>) -> Step {
        Step {
            id: "s".into(),
            title: "t".into(),
            description: String::new(),
            link: None,
            unlock_supports: supports,
            unlock_status: status,
        }
    }

    #[test]
    fn thresholds_unlock_by_supports_and_status() {
        use InitiativeStatus::*;
        assert!(is_unlocked(&step(None, None), 0, Stopped));
        assert!(!is_unlocked(&step(Some(3), None), 2, Idea));
        assert!(is_unlocked(&step(Some(3), None), 3, Idea));
        assert!(!is_unlocked(
            &step(None, Some(InProgress)),
            9,
            SeekingSupporters
        ));
        assert!(is_unlocked(&step(None, Some(InProgress)), 0, Realised));
        assert!(!is_unlocked(&step(None, Some(InProgress)), 0, Stopped));
        assert!(!is_unlocked(
            &step(Some(3), Some(InProgress)),
            2,
            InProgress
        ));
    }

    #[test]
    fn links_are_web_addresses() {
        assert!(check_link("l", "https://www.peelenmaas.nl/subsidie").is_ok());
        assert!(check_link("l", "javascript:alert(1)").is_err());
        assert!(check_link("l", "https://user:pw@example.nl/").is_err());
        assert!(check_link("l", "www.example.nl").is_err());
    }
}

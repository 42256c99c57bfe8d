//! Public feeds of a community's published initiatives, for newsrooms and
//! open data: JSON and Atom. No personal data: no contact details, no joiners.

use mekaar_api::{InitiativeList, InitiativePublic};

use crate::communities::Community;
use crate::errors::ApiResult;
use crate::initiatives::{ListCache, ListQuery};
use crate::store::Store;

/// Most entries a feed carries (newest first).
pub const FEED_ENTRIES: u64 = 100;

/// The newest published initiatives, from the same cache as the list.
fn newest(lists: &ListCache, store: &Store, community: &Community) -> ApiResult<InitiativeList> {
    lists.list(
        store,
        community,
        &ListQuery {
            limit: Some(FEED_ENTRIES),
            ..Default::default()
        },
    )
}

pub fn json(lists: &ListCache, store: &Store, community: &Community) -> ApiResult<InitiativeList> {
    newest(lists, store, community)
}

/// An Atom 1.0 feed. `self_url` is the feed's own address.
pub fn atom(
    lists: &ListCache,
    store: &Store,
    community: &Community,
    self_url: &str,
) -> ApiResult<String> {
    let list = newest(lists, store, community)?;
    let updated = list
        .initiatives
        .iter()
        .map(|i| i.updated_at.max(i.created_at))
        .max()
        .unwrap_or(community.created_at);
    let mut xml = String::with_capacity(1024 + list.initiatives.len() * 600);
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    push_element(
        &mut xml,
        "title",
        &format!("{} — initiatieven", community.name),
    );
    push_element(&mut xml, "id", &format!("urn:mekaar:{}", community.slug));
    push_element(&mut xml, "updated", &rfc3339(updated));
    xml.push_str(&format!(
        "<link rel=\"self\" href=\"{}\"/>\n",
        escape(self_url)
    ));
    xml.push_str("<generator>Mekaar</generator>\n");
    for initiative in &list.initiatives {
        push_entry(&mut xml, community, initiative);
    }
    xml.push_str("</feed>\n");
    Ok(xml)
}

fn push_entry(xml: &mut String, community: &Community, i: &InitiativePublic) {
    xml.push_str("<entry>\n");
    push_element(xml, "title", &i.title);
    push_element(
        xml,
        "id",
        &format!("urn:mekaar:{}:{}", community.slug, i.id),
    );
    push_element(xml, "published", &rfc3339(i.created_at));
    push_element(xml, "updated", &rfc3339(i.updated_at.max(i.created_at)));
    if !i.initiator_name.is_empty() {
        xml.push_str("<author>");
        push_element(xml, "name", &i.initiator_name);
        xml.push_str("</author>\n");
    } else {
        xml.push_str("<author>");
        push_element(xml, "name", &community.name);
        xml.push_str("</author>\n");
    }
    let mut summary = i.summary.clone();
    summary.push_str(&format!(
        "\n\nStatus: {}. Steun: {} van {}. Meedoeners: {}.",
        i.status.as_str(),
        i.support_count,
        i.support_threshold,
        i.join_count
    ));
    if let Some(area) = &i.area {
        xml.push_str(&format!("<category term=\"{}\"/>\n", escape(area)));
    }
    push_element(xml, "summary", &summary);
    // RFC 4287 4.1.2: an entry without an alternate link must have content.
    xml.push_str("<content type=\"text\">");
    xml.push_str(&escape(&summary));
    xml.push_str("</content>\n");
    xml.push_str("</entry>\n");
}

fn push_element(xml: &mut String, name: &str, text: &str) {
    xml.push('<');
    xml.push_str(name);
    xml.push('>');
    xml.push_str(&escape(text));
    xml.push_str("</");
    xml.push_str(name);
    xml.push_str(">\n");
}

/// Text and attribute escaping for XML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

fn rfc3339(secs: u64) -> String {
    humantime::format_rfc3339_seconds(std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"y\""),
            "&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &quot;y&quot;"
        );
    }

    #[test]
    fn times_are_rfc3339() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
    }
}

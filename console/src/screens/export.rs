//! Export (community admins only): the community's whole export as JSON Lines, and the
//! public open-data CSV files.

use yew::prelude::*;

use super::Heading;
use crate::api;
use crate::i18n::{use_lang, Key};
use crate::session::use_session;

#[function_component(Export)]
pub fn export() -> Html {
    let lang = use_lang().lang;
    let t = |k: Key| k.text(lang);
    let session = use_session();
    let community = &session.info.community;
    // A plain link: the browser sends the session cookie with a same-origin GET and
    // saves the answer (Content-Disposition: attachment).
    let export = api::admin_path(community, "/export");
    let file = format!("mekaar-{community}.jsonl");
    let initiatives = api::public_path(community, "/open-data/initiatives.csv");
    let polls = api::public_path(community, "/open-data/poll-results.csv");
    // The full addresses, to share.
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    html! {
        <>
            <Heading text={t(Key::ExportTitle)} />
            <p>{ t(Key::ExportIntro) }</p>
            <section class="card" aria-labelledby="export-all-title">
                <h2 id="export-all-title">{ t(Key::ExportAll) }</h2>
                <p>{ t(Key::ExportAllText) }</p>
                <p><strong>{ t(Key::ExportPrivate) }</strong></p>
                <p>{ t(Key::ExportImport) }</p>
                <p><a class="button primary" id="export-download" href={export} download={file}>
                    { t(Key::ExportDownload) }
                </a></p>
            </section>
            <section class="card" aria-labelledby="export-open-title">
                <h2 id="export-open-title">{ t(Key::ExportOpenData) }</h2>
                <p>{ t(Key::ExportOpenDataText) }</p>
                <ul class="link-list">
                    <li><a id="export-initiatives-csv" href={initiatives.clone()}>{ t(Key::ExportInitiativesCsv) }</a>
                        { " " }<code>{ format!("{origin}{initiatives}") }</code></li>
                    <li><a id="export-polls-csv" href={polls.clone()}>{ t(Key::ExportPollsCsv) }</a>
                        { " " }<code>{ format!("{origin}{polls}") }</code></li>
                </ul>
            </section>
        </>
    }
}

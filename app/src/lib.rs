//! Redline's pages (Leptos, server-rendered; interactive parts hydrate as
//! islands), grouped by role.
pub mod api;
pub mod i18n;
pub mod islands;
pub mod pages;
pub mod view;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        // `lang` is set by each page for its reader's language (`pages::framed`).
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" type="image/svg+xml" href="/favicon.svg"/>
                // Built assets carry a content hash in their names (cargo-leptos
                // `hash-files`), so browsers may keep them for a year.
                <HashedStylesheet options=options.clone() id="leptos"/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title text="Redline 直播电商投诉与纠纷处理平台"/>
        <Router>
            <main>
                <Routes fallback=|| pages::NotFound>
                    <Route path=path!("/") view=pages::public::Home ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=pages::public::Login ssr=SsrMode::Async/>
                    <Route path=path!("/register") view=pages::public::Register ssr=SsrMode::Async/>
                    <Route path=path!("/welcome/:token") view=pages::public::Welcome ssr=SsrMode::Async/>
                    <Route path=path!("/me/cases") view=pages::consumer::MyCases ssr=SsrMode::Async/>
                    <Route path=path!("/me/new") view=pages::consumer::NewComplaint ssr=SsrMode::Async/>
                    <Route path=path!("/operator") view=pages::staff::OperatorQueue ssr=SsrMode::Async/>
                    <Route path=path!("/platform") view=pages::staff::PlatformQueue ssr=SsrMode::Async/>
                    <Route path=path!("/platform/sessions") view=pages::streams::PlatformStreamsPage ssr=SsrMode::Async/>
                    <Route path=path!("/platform/parties") view=pages::parties::PlatformPartiesPage ssr=SsrMode::Async/>
                    <Route path=path!("/regulator/disputes") view=pages::dispute::DisputesPage ssr=SsrMode::Async/>
                    <Route path=path!("/regulator/late-reports") view=pages::parties::LateReportsPage ssr=SsrMode::Async/>
                    <Route path=path!("/rooms/:id") view=pages::streams::RoomPage ssr=SsrMode::Async/>
                    <Route path=path!("/platform/settings") view=pages::staff::PlatformSettingsPage ssr=SsrMode::Async/>
                    <Route path=path!("/regulator") view=pages::staff::RegulatorQueue ssr=SsrMode::Async/>
                    <Route path=path!("/admin") view=pages::admin::AdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/narratives") view=pages::admin::NarrativesPage ssr=SsrMode::Async/>
                    <Route path=path!("/org") view=pages::admin::OrgStaffPage ssr=SsrMode::Async/>
                    <Route path=path!("/org/integrations") view=pages::integrations::IntegrationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/tips/new") view=pages::tips::TipNew ssr=SsrMode::Async/>
                    <Route path=path!("/tips/filed") view=pages::tips::TipFiled ssr=SsrMode::Async/>
                    <Route path=path!("/tips/status") view=pages::tips::TipStatus ssr=SsrMode::Async/>
                    <Route path=path!("/me/tips") view=pages::tips::MyTips ssr=SsrMode::Async/>
                    <Route path=path!("/platform/tips") view=pages::tips::PlatformTips ssr=SsrMode::Async/>
                    <Route path=path!("/regulator/tips") view=pages::tips::RegulatorTips ssr=SsrMode::Async/>
                    <Route path=path!("/staff/tips/:tip_no") view=pages::tips::StaffTip ssr=SsrMode::Async/>
                    <Route path=path!("/transparency/verify") view=pages::transparency::VerifyPackage ssr=SsrMode::Async/>
                    <Route path=path!("/account") view=pages::account::AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/notifications") view=pages::notices::Notices ssr=SsrMode::Async/>
                    <Route path=path!("/search") view=pages::search::Search ssr=SsrMode::Async/>
                    <Route path=path!("/alerts") view=pages::alerts::AlertsPage ssr=SsrMode::Async/>
                    <Route path=path!("/desk") view=pages::desk::DeskView ssr=SsrMode::Async/>
                    <Route path=path!("/alerts/:id") view=pages::alerts::AlertDetail ssr=SsrMode::Async/>
                    <Route path=path!("/cases/:case_no") view=pages::case::CasePage ssr=SsrMode::Async/>
                </Routes>
            </main>
        </Router>
    }
}

//! The few components that need the browser, hydrated as islands; each page
//! works without them (the text a copy button copies is on the page).
use leptos::prelude::*;

/// Copies `text` to the clipboard: a receipt code is long and shown once.
#[island]
pub fn CopyButton(text: String, label: String, done: String) -> impl IntoView {
    let copied = RwSignal::new(false);
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(w) = web_sys::window() {
            let _ = w.navigator().clipboard().write_text(&text);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &text;
        copied.set(true);
    };
    view! {
        <button type="button" class="copy" id="copy-receipt" on:click=copy aria-live="polite">
            {move || if copied.get() { done.clone() } else { label.clone() }}
        </button>
    }
}

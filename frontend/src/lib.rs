//! The browser entry point: hydrates the interactive islands of the
//! server-rendered pages (pages themselves are plain HTML).
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Linking the app keeps its `#[island]` components in the bundle.
    let _ = app::App;
    leptos::mount::hydrate_islands();
}

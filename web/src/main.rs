//! Mounts the playground; everything else lives in the library.

fn main() {
    kubeplay_web::crash::install();
    leptos::mount::mount_to_body(kubeplay_web::App);
}

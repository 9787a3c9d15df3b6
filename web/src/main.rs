//! Mounts the playground; everything else lives in the library.

fn main() {
    kubeplay_web::crash::install();
    if kubeplay_web::bench_packets::requested() {
        leptos::mount::mount_to_body(kubeplay_web::bench_packets::PacketBench);
    } else {
        leptos::mount::mount_to_body(kubeplay_web::App);
    }
}

//! Embeds every lesson under ../lessons at build time (`$OUT_DIR/lessons.rs`); the generator
//! is shared with the other front end's build script.

include!("../scripts/embed_lessons.rs");

fn main() {
    println!("cargo:rerun-if-changed=../scripts/embed_lessons.rs");
    embed_lessons();
}

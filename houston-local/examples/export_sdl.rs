//! Print the server's SDL: `cargo run -p houston-local --example export_sdl > schema.graphql`.
#![allow(clippy::unwrap_used, clippy::expect_used)]
fn main() {
    print!("{}", houston_local::schema_sdl());
}

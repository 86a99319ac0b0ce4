//! Print the server's SDL: `cargo run -p houston-local --example export_sdl > schema.graphql`.
fn main() {
    print!("{}", houston_local::schema_sdl());
}

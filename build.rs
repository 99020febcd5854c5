//! The default theme is compiled into the binary with `include_dir!`, which cargo does not
//! track: without this, a changed template or stylesheet would leave tests running against
//! the old theme until some Rust file changed.
fn main() {
    println!("cargo:rerun-if-changed=themes/default");
}

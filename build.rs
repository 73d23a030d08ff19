//! The default theme is embedded with include_dir!, which cannot tell cargo about files
//! added under themes/default; this makes any change there rebuild the binary.

fn main() {
    println!("cargo:rerun-if-changed=themes/default");
}

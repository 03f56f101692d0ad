// Content is embedded with include_dir!, which does not tell Cargo about
// files added later; watching the directories makes a new exercise or
// lesson rebuild the binary.
fn main() {
    println!("cargo:rerun-if-changed=lessons");
    println!("cargo:rerun-if-changed=exercises");
    println!("cargo:rerun-if-changed=assets");
}

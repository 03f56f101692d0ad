fn main() -> std::process::ExitCode {
    kubedojo::cli::main()
}

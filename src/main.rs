//! The `rungs` command line. Only this file prints and exits; everything else returns
//! values (see `rungs::diagnostics` for the error policy).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use rungs::diagnostics::{self, Format};
use rungs::site::{Loaded, Overrides};

/// Exit codes: 0 success, 1 the framework has errors, 2 the command could not run.
const EXIT_FRAMEWORK: u8 = 1;
const EXIT_CANNOT_RUN: u8 = 2;

#[derive(Parser)]
#[command(
    name = "rungs",
    version,
    about = "Build a career-ladder website from Markdown and YAML"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (only when the framework has no errors).
    Build {
        /// The site folder (with site.toml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder [default: <root>/public, or output_dir in site.toml].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Where the site will be published, e.g. https://example.com/careers/ (overrides site.toml).
        #[arg(long, value_parser = base_url_arg)]
        base_url: Option<String>,
    },
    /// Validate the framework and report every problem; writes nothing.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// How to print problems.
        #[arg(long, value_enum, default_value_t = FormatArg::Human)]
        format: FormatArg,
    },
    /// Preview the site: build it, serve it, rebuild on every edit and reload open browsers.
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to listen on (0: any free port).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; anything but loopback exposes the preview to the network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Poll for changes instead of using OS events (WSL, Docker bind mounts, network shares).
        #[arg(long)]
        poll: bool,
    },
    /// Write a new starter framework into DIR (default: the current folder).
    Init {
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Human,
    Json,
    Github,
}

/// `--base-url`, checked by the rule `base_url` in site.toml follows (clap exits 2).
fn base_url_arg(s: &str) -> Result<String, String> {
    rungs::config::check_base_url(s)
        .map(|()| s.to_string())
        .map_err(|why| format!("{why}; {}", rungs::config::BASE_URL_HELP))
}

fn print_diags(loaded: &Loaded, format: Format) {
    // A JSON consumer always gets a document, problems or not.
    if loaded.diags.is_empty() && format != Format::Json {
        return;
    }
    let color = format == Format::Human
        && std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none();
    let text = diagnostics::render(&loaded.diags, &loaded.sources, format, color);
    match format {
        Format::Human => eprint!("{text}"),
        _ => print!("{text}"),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            out,
            base_url,
        } => {
            let overrides = Overrides { base_url };
            match rungs::build::build(&root, out.as_deref(), &overrides) {
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(EXIT_CANNOT_RUN)
                }
                Ok((loaded, stats)) => {
                    print_diags(&loaded, Format::Human);
                    match stats {
                        Some(s) => {
                            eprintln!(
                                "Built {} pages ({} files: {} written, {} unchanged, {} removed) into {} in {} ms{}",
                                s.pages,
                                s.files,
                                s.report.written,
                                s.report.unchanged,
                                s.report.removed,
                                s.out.display(),
                                s.elapsed.as_millis(),
                                if loaded.diags.is_empty() {
                                    String::new()
                                } else {
                                    format!("; {}", diagnostics::summary(&loaded.diags))
                                }
                            );
                            ExitCode::SUCCESS
                        }
                        None => {
                            eprintln!(
                                "Build failed: {}. The previous output was left untouched.",
                                diagnostics::summary(&loaded.diags)
                            );
                            ExitCode::from(EXIT_FRAMEWORK)
                        }
                    }
                }
            }
        }
        Command::Check { root, format } => {
            let format = match format {
                FormatArg::Human => Format::Human,
                FormatArg::Json => Format::Json,
                FormatArg::Github => Format::Github,
            };
            match rungs::build::check(&root) {
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(EXIT_CANNOT_RUN)
                }
                Ok(loaded) => {
                    print_diags(&loaded, format);
                    if format == Format::Human {
                        eprintln!(
                            "Checked {}: {}",
                            root.display(),
                            diagnostics::summary(&loaded.diags)
                        );
                    }
                    if loaded.has_errors() {
                        ExitCode::from(EXIT_FRAMEWORK)
                    } else {
                        ExitCode::SUCCESS
                    }
                }
            }
        }
        Command::Serve {
            root,
            port,
            bind,
            open,
            poll,
        } => {
            let opts = rungs::serve::ServeOptions {
                root,
                bind,
                port,
                open,
                poll,
            };
            match rungs::serve::run(&opts) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(EXIT_CANNOT_RUN)
                }
            }
        }
        Command::Init { dir } => match rungs::init::init(&dir) {
            Ok(n) => {
                eprintln!(
                    "Wrote a starter framework ({n} files) into {}. Next: rungs build --root {}",
                    dir.display(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(EXIT_CANNOT_RUN)
            }
        },
    }
}

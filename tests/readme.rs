//! The README's examples that its doctests do not run, held to the code that does.
//!
//! The README's ```rust blocks are doctests of this crate (`src/lib.rs`, `ReadmeDoctests`),
//! and some of its text blocks are compared with real output by `tests/api/leaving.rs`,
//! `tests/api/spec_files.rs` and `cli/tests/tool/leave.rs`. What is left is checked here:
//! - every Rust block (a doctest here, or a member's example marked `ignore`) is a copy of a
//!   doctest in the workspace's sources, so that it is the code some doctest runs;
//! - every `--flag` of a command the README shows exists in that command's clap definition;
//! - the endpoint's flag table lists exactly the flags of `emulator/src/main.rs`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const README: &str = include_str!("../README.md");

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|err| panic!("{path}: {err}"))
}

/// A fenced block of the README: its info string (`rust,ignore`) and its lines.
struct Block {
    info: String,
    line: usize,
    lines: Vec<&'static str>,
}

fn blocks() -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    for (n, line) in README.lines().enumerate() {
        match (&mut open, line.strip_prefix("```")) {
            (None, Some(info)) => {
                open = Some(Block {
                    info: info.trim().to_owned(),
                    line: n + 1,
                    lines: Vec::new(),
                })
            }
            (Some(_), Some("")) => blocks.push(open.take().unwrap()),
            (Some(block), _) => block.lines.push(line),
            (None, None) => {}
        }
    }
    assert!(open.is_none(), "an unclosed block");
    blocks
}

/// A line rustdoc shows: not `#` alone, nor `# ` and a hidden line.
fn visible(line: &str) -> bool {
    let trimmed = line.trim_start();
    trimmed != "#" && !trimmed.starts_with("# ")
}

/// Every `.rs` file under `dir`, recursively.
fn sources(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, files);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
}

/// The doc-comment lines of a source file (`//!` and `///`), without the marker and its
/// space, hidden lines left out.
fn doc_lines(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let trimmed = line.trim_start();
            let doc = trimmed
                .strip_prefix("//!")
                .or_else(|| trimmed.strip_prefix("///"))?;
            Some(doc.strip_prefix(' ').unwrap_or(doc).trim_end().to_owned())
        })
        .filter(|line| visible(line))
        .collect()
}

#[test]
fn every_rust_block_is_a_doctest_of_the_workspace() {
    let mut files = Vec::new();
    for dir in ["src", "stores/src", "emulator/src", "cli/src"] {
        sources(&root().join(dir), &mut files);
    }
    let docs: Vec<(PathBuf, Vec<String>)> = files
        .into_iter()
        .map(|file| {
            let lines = doc_lines(&std::fs::read_to_string(&file).unwrap());
            (file, lines)
        })
        .collect();
    let rust: Vec<Block> = blocks()
        .into_iter()
        .filter(|block| block.info.split(',').next() == Some("rust"))
        .collect();
    assert!(rust.len() >= 5, "the README's Rust blocks: {}", rust.len());
    for block in &rust {
        let shown: Vec<&str> = block
            .lines
            .iter()
            .filter(|line| visible(line))
            .map(|line| line.trim_end())
            .collect();
        let found = docs.iter().find(|(_, lines)| {
            lines
                .windows(shown.len())
                .any(|window| window.iter().map(String::as_str).eq(shown.iter().copied()))
        });
        assert!(
            found.is_some(),
            "README.md line {}: this ```{} block is no doctest's copy (or the doctest changed): \
             copy it again from the doc comment it came from",
            block.line,
            block.info
        );
    }
}

/// The clap definition of the command a README command line runs, and its arguments.
fn command(line: &str) -> Option<(&'static str, &str)> {
    let line = line.strip_prefix("$ ").unwrap_or(line);
    if let Some(rest) = line.strip_prefix("cargo run ") {
        let (cargo, args) = rest.split_once(" -- ")?;
        let source = if cargo.contains("--example validate") {
            "examples/validate.rs"
        } else if cargo.contains("--example plan") {
            "examples/plan.rs"
        } else if cargo.contains("--example store") {
            "stores/examples/store.rs"
        } else if cargo.contains("-p workmail-org-cli") {
            "cli/src/args.rs"
        } else if cargo.contains("-p workmail-org-emulator") {
            "emulator/src/main.rs"
        } else {
            panic!("a cargo run of what? {line}")
        };
        return Some((source, args));
    }
    if let Some(args) = line.strip_prefix("workmail-org-emulator ") {
        return Some(("emulator/src/main.rs", args));
    }
    if let Some(args) = line.strip_prefix("workmail-org ") {
        return Some(("cli/src/args.rs", args));
    }
    None
}

#[test]
fn every_flag_of_a_command_exists() {
    let mut checked = BTreeSet::new();
    for block in blocks() {
        if block.info != "sh" && block.info != "console" {
            continue;
        }
        // One command a logical line: `\` continues it.
        let mut logical = Vec::new();
        let mut current = String::new();
        for line in &block.lines {
            match line.trim_end().strip_suffix('\\') {
                Some(part) => current.push_str(part),
                None => {
                    current.push_str(line);
                    logical.push(std::mem::take(&mut current));
                }
            }
        }
        for line in logical {
            let line = match line.split_once(" # ") {
                Some((command, _comment)) => command.to_owned(),
                None => line,
            };
            let Some((source, args)) = command(line.trim()) else {
                continue;
            };
            let definition = read(source);
            for flag in args
                .split_whitespace()
                .filter_map(|arg| arg.strip_prefix("--"))
            {
                let name = flag.split('=').next().unwrap();
                if name.is_empty() || name == "help" || name == "version" {
                    continue;
                }
                let field = format!(" {}:", name.replace('-', "_"));
                assert!(
                    definition.contains(&field),
                    "README.md line {}: `--{name}` is no flag of {source}",
                    block.line
                );
                checked.insert((source, name.to_owned()));
            }
        }
    }
    for source in [
        "examples/validate.rs",
        "examples/plan.rs",
        "cli/src/args.rs",
    ] {
        assert!(
            checked.iter().any(|(checked, _)| *checked == source),
            "no command of {source} found in the README: {checked:?}"
        );
    }
}

#[test]
fn the_endpoint_table_lists_every_flag() {
    let section = README
        .split("\n## ")
        .find(|section| section.starts_with("A local WorkMail endpoint"))
        .expect("the README has a section on the local endpoint");
    let shown: BTreeSet<String> = section
        .lines()
        .filter_map(|line| line.strip_prefix("| `--"))
        .map(|rest| {
            rest.split([' ', '`'])
                .next()
                .expect("a flag name")
                .to_owned()
        })
        .collect();
    let main = read("emulator/src/main.rs");
    let mut flags = BTreeSet::new();
    let mut long = false;
    for line in main.lines().map(str::trim) {
        if line.starts_with("#[arg(long") {
            long = true;
        } else if long && !line.starts_with("#[") && !line.starts_with("//") {
            if let Some((field, _)) = line.trim_start_matches("pub ").split_once(':') {
                flags.insert(field.replace('_', "-"));
                long = false;
            }
        }
    }
    assert!(flags.len() >= 9, "emulator/src/main.rs's flags: {flags:?}");
    assert_eq!(
        shown, flags,
        "the README's table of the endpoint's flags, and emulator/src/main.rs's"
    );
}

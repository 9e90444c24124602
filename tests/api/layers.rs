//! The layering of `src/` as code: each top-level module names the modules
//! it may import (README, "Layout"), and an import outside that list, or an
//! import cycle, fails here. Read from the source text, so it needs no build
//! of anything but this test.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Who may import whom. Front doors (`api`, `web`) never import each
/// other; adapters never import the service layer or the doors above them.
const MAY_IMPORT: &[(&str, &[&str])] = &[
    ("config", &[]),
    ("json", &[]),
    // Shared by unit tests only.
    ("testing", &[]),
    ("telemetry", &["config"]),
    ("error", &["telemetry"]),
    ("domain", &["error", "json"]),
    ("text", &["domain"]),
    ("i18n", &["domain"]),
    ("auth", &["config", "domain", "error"]),
    ("store", &["config", "domain", "error"]),
    ("search", &["domain", "error", "store", "text"]),
    ("tagging", &["domain", "text"]),
    ("publish", &["domain", "i18n", "text"]),
    (
        "mail",
        &["auth", "config", "domain", "error", "i18n", "store"],
    ),
    (
        "service",
        &[
            "auth", "config", "domain", "error", "mail", "search", "store", "tagging", "text",
        ],
    ),
    // The clock's door: a worker runs a use case on a schedule, as a
    // handler runs one on a request.
    (
        "workers",
        &[
            "config", "domain", "error", "mail", "search", "service", "store", "tagging",
        ],
    ),
    (
        "http",
        &[
            "auth",
            "config",
            "domain",
            "error",
            "json",
            "mail",
            "search",
            "service",
            "store",
            "tagging",
            "telemetry",
        ],
    ),
    (
        "api",
        &[
            "auth",
            "config",
            "domain",
            "error",
            "http",
            "i18n",
            "json",
            "publish",
            "search",
            "service",
            "store",
            "tagging",
            "telemetry",
        ],
    ),
    (
        "web",
        &[
            "auth", "config", "domain", "error", "http", "i18n", "mail", "publish", "search",
            "service", "text",
        ],
    ),
];

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The top-level modules each top-level module names (`crate::x`), unit
/// tests left out: a test may reach anywhere.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let relative = file.strip_prefix(&src).expect("under src/");
        let first = relative.components().next().expect("a path");
        let module = first
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_owned();
        if module == "lib" || module == "main" {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("a readable source file");
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        let named = graph.entry(module.clone()).or_default();
        for (at, _) in code.match_indices("crate::") {
            let rest = &code[at + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            // A macro exported at the crate root (`crate::in_language!`)
            // belongs to no module.
            let is_macro = rest[name.len()..].starts_with('!');
            if !name.is_empty() && name != module && !is_macro {
                named.insert(name);
            }
        }
    }
    graph
}

#[test]
fn every_module_imports_only_what_the_layout_allows() {
    let allowed: BTreeMap<&str, &[&str]> = MAY_IMPORT.iter().copied().collect();
    let mut breaches = Vec::new();
    for (module, named) in imports() {
        let Some(may) = allowed.get(module.as_str()) else {
            breaches.push(format!("{module} is not in the layout table"));
            continue;
        };
        for name in named {
            if !may.contains(&name.as_str()) {
                breaches.push(format!("{module} imports {name}"));
            }
        }
    }
    assert!(
        breaches.is_empty(),
        "imports the layout forbids: {breaches:?}"
    );
}

#[test]
fn the_layout_table_has_no_cycle() {
    // Each module's allowed imports must come earlier in the table, so the
    // table itself is an order and no cycle can pass the test above.
    for (index, (module, may)) in MAY_IMPORT.iter().enumerate() {
        for name in *may {
            let earlier = MAY_IMPORT[..index].iter().any(|(m, _)| m == name);
            assert!(earlier, "{module} may import {name}, which comes after it");
        }
    }
}

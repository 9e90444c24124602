//! The web origins whose pages may call the API from a browser
//! (`COMPENDIUM_CORS_ORIGINS`), parsed once with the other settings so a
//! bad list stops the start, not a request.

use std::str::FromStr;

/// The origins allowed, exactly as browsers send them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origins(Vec<String>);

/// `https://a.example, http://localhost:8080`; `*` is refused (name the
/// origins you trust).
impl FromStr for Origins {
    type Err = String;

    fn from_str(setting: &str) -> Result<Origins, String> {
        let mut origins = Vec::new();
        for origin in setting.split(',').map(str::trim).filter(|o| !o.is_empty()) {
            let rest = origin
                .strip_prefix("https://")
                .or_else(|| origin.strip_prefix("http://"))
                .ok_or_else(|| format!("'{origin}' is not an origin: write https://host[:port]"))?;
            let valid_host = !rest.is_empty()
                && rest
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
            if !valid_host {
                return Err(format!(
                    "'{origin}' is not an origin: scheme, host and port only, no path and no '*'"
                ));
            }
            origins.push(origin.to_ascii_lowercase());
        }
        Ok(Origins(origins))
    }
}

impl Origins {
    pub fn allows(&self, origin: &str) -> bool {
        self.0.iter().any(|o| o.eq_ignore_ascii_case(origin))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(setting: &str) -> Result<Origins, String> {
        setting.parse()
    }

    #[test]
    fn origins_are_exact_and_nothing_is_allowed_by_default() {
        assert!(!parse("").unwrap().allows("https://evil.example"));
        assert!(!Origins::default().allows("https://evil.example"));
        let origins = parse("https://a.example, http://localhost:8080").unwrap();
        assert!(origins.allows("https://a.example"));
        assert!(origins.allows("http://localhost:8080"));
        assert!(!origins.allows("https://a.example.evil"));
        assert!(!origins.allows("http://a.example"));
    }

    #[test]
    fn wildcards_paths_and_other_schemes_are_refused() {
        for bad in [
            "*",
            "https://*.example",
            "https://a.example/path",
            "ftp://a.example",
            "a.example",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}

//! How a setting's text becomes its value. A variable and a file value are
//! both text by then, so one parser per type means both sources accept and
//! refuse exactly the same things.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;

use lettre::message::Mailbox;

use super::networks::TrustedProxies;
use super::origins::Origins;

/// A type a setting can have. The error is shown after the setting's name.
pub trait Setting: Sized {
    fn parse(text: &str) -> Result<Self, String>;
}

/// Text kept exactly as written: a URL, a secret, a filter.
impl Setting for String {
    fn parse(text: &str) -> Result<Self, String> {
        Ok(text.to_owned())
    }
}

/// Blank text is unset, as shells make it easy to export an empty variable;
/// an empty variable thus also clears a value the file set.
impl<T: Setting> Setting for Option<T> {
    fn parse(text: &str) -> Result<Self, String> {
        if text.trim().is_empty() {
            Ok(None)
        } else {
            T::parse(text).map(Some)
        }
    }
}

/// Values with a `FromStr`, read without the blanks around them. (Not a
/// blanket impl over `FromStr`: it would overlap the one for `Option<T>`.)
macro_rules! from_str_setting {
    ($($ty:ty),+ $(,)?) => {
        $(
            impl Setting for $ty {
                fn parse(text: &str) -> Result<Self, String> {
                    text.trim().parse::<$ty>().map_err(|e| e.to_string())
                }
            }
        )+
    };
}

from_str_setting!(
    u32,
    u64,
    usize,
    SocketAddr,
    PathBuf,
    LogFormat,
    Origins,
    TrustedProxies
);

/// Parsed at load, so a bad sender stops the start rather than the first mail.
impl Setting for Mailbox {
    fn parse(text: &str) -> Result<Self, String> {
        text.trim()
            .parse::<Mailbox>()
            .map_err(|e| format!("not a mail address ({e}): write name@host or Name <name@host>"))
    }
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// One human-readable line per event.
    Text,
    /// One JSON object per line, for log shippers.
    Json,
}

impl FromStr for LogFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "text" => Ok(LogFormat::Text),
            "json" => Ok(LogFormat::Json),
            other => Err(format!("'{other}' is not a log format: use text or json")),
        }
    }
}

//! An OAI-PMH request read from its arguments (a query string, or a form
//! body on POST), with the protocol's own errors for what is wrong: an
//! argument that is missing, repeated, unknown or malformed, a verb nobody
//! knows, a token we did not issue.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};

use super::token::ResumptionToken;
use crate::domain::harvest::{HarvestSet, Selection};

/// The one metadata format served: unqualified Dublin Core.
pub const OAI_DC: &str = "oai_dc";

/// The protocol's error codes (section 3.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    BadArgument,
    BadResumptionToken,
    BadVerb,
    CannotDisseminateFormat,
    IdDoesNotExist,
    NoRecordsMatch,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadArgument => "badArgument",
            ErrorCode::BadResumptionToken => "badResumptionToken",
            ErrorCode::BadVerb => "badVerb",
            ErrorCode::CannotDisseminateFormat => "cannotDisseminateFormat",
            ErrorCode::IdDoesNotExist => "idDoesNotExist",
            ErrorCode::NoRecordsMatch => "noRecordsMatch",
        }
    }

    /// Whether the request itself was malformed: then the response must
    /// not echo its arguments, only the base URL.
    pub fn is_malformed_request(self) -> bool {
        matches!(self, ErrorCode::BadArgument | ErrorCode::BadVerb)
    }
}

/// An error as the response states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OaiError {
    pub code: ErrorCode,
    pub message: String,
}

impl OaiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> OaiError {
        OaiError {
            code,
            message: message.into(),
        }
    }
}

/// Whether a list answers headers only or whole records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListVerb {
    ListIdentifiers,
    ListRecords,
}

impl ListVerb {
    pub fn as_str(self) -> &'static str {
        match self {
            ListVerb::ListIdentifiers => "ListIdentifiers",
            ListVerb::ListRecords => "ListRecords",
        }
    }
}

/// A request the repository can answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OaiRequest {
    Identify,
    ListMetadataFormats {
        identifier: Option<String>,
    },
    ListSets,
    GetRecord {
        identifier: String,
    },
    /// A list, from its first page (a fresh token at cursor 0) or a later one.
    List {
        verb: ListVerb,
        token: ResumptionToken,
    },
}

/// What was asked: the arguments as given (echoed in the response), and
/// the request they make, or why they make none.
pub struct Parsed {
    pub arguments: Vec<(String, String)>,
    pub request: Result<OaiRequest, OaiError>,
}

const ARGUMENTS: [&str; 7] = [
    "verb",
    "identifier",
    "metadataPrefix",
    "from",
    "until",
    "set",
    "resumptionToken",
];

/// Reads decoded `(name, value)` pairs; `now` dates new tokens and judges
/// whether a token has expired.
pub fn parse(pairs: Vec<(String, String)>, now: DateTime<Utc>) -> Parsed {
    let request = read(&pairs, now);
    Parsed {
        arguments: pairs,
        request,
    }
}

fn read(pairs: &[(String, String)], now: DateTime<Utc>) -> Result<OaiRequest, OaiError> {
    let verbs: Vec<&str> = pairs
        .iter()
        .filter(|(name, _)| name == "verb")
        .map(|(_, value)| value.as_str())
        .collect();
    let verb = match verbs.as_slice() {
        [] => {
            return Err(OaiError::new(
                ErrorCode::BadVerb,
                "the verb argument is missing",
            ))
        }
        [one] => *one,
        _ => {
            return Err(OaiError::new(
                ErrorCode::BadVerb,
                "the verb argument is repeated",
            ))
        }
    };
    for (name, _) in pairs {
        if !ARGUMENTS.contains(&name.as_str()) {
            return Err(OaiError::new(
                ErrorCode::BadArgument,
                format!("'{name}' is not an argument of OAI-PMH"),
            ));
        }
        if pairs.iter().filter(|(other, _)| other == name).count() > 1 {
            return Err(OaiError::new(
                ErrorCode::BadArgument,
                format!("the argument '{name}' is repeated"),
            ));
        }
    }
    let arguments = Arguments(pairs);
    match verb {
        "Identify" => {
            arguments.only(&[])?;
            Ok(OaiRequest::Identify)
        }
        "ListMetadataFormats" => {
            arguments.only(&["identifier"])?;
            Ok(OaiRequest::ListMetadataFormats {
                identifier: arguments.get("identifier").map(str::to_owned),
            })
        }
        "ListSets" => {
            arguments.only(&["resumptionToken"])?;
            match arguments.get("resumptionToken") {
                // The sets are few and answered in one list: no token of
                // ours ever continues them.
                Some(_) => Err(OaiError::new(
                    ErrorCode::BadResumptionToken,
                    "the list of sets is answered whole; this token continues nothing",
                )),
                None => Ok(OaiRequest::ListSets),
            }
        }
        "GetRecord" => {
            arguments.only(&["identifier", "metadataPrefix"])?;
            let identifier = arguments.required("identifier")?;
            metadata_prefix(arguments.required("metadataPrefix")?)?;
            Ok(OaiRequest::GetRecord {
                identifier: identifier.to_owned(),
            })
        }
        "ListIdentifiers" | "ListRecords" => {
            let verb = if verb == "ListRecords" {
                ListVerb::ListRecords
            } else {
                ListVerb::ListIdentifiers
            };
            let token = match arguments.get("resumptionToken") {
                Some(token) => {
                    // The token is an exclusive argument.
                    arguments.only(&["resumptionToken"])?;
                    ResumptionToken::decode(token, now)?
                }
                None => {
                    arguments.only(&["metadataPrefix", "from", "until", "set"])?;
                    metadata_prefix(arguments.required("metadataPrefix")?)?;
                    ResumptionToken::first(selection(&arguments)?)
                }
            };
            Ok(OaiRequest::List { verb, token })
        }
        other => Err(OaiError::new(
            ErrorCode::BadVerb,
            format!(
                "'{other}' is not a verb of OAI-PMH: use Identify, ListMetadataFormats, \
                 ListSets, GetRecord, ListIdentifiers or ListRecords"
            ),
        )),
    }
}

struct Arguments<'a>(&'a [(String, String)]);

impl Arguments<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    fn required(&self, name: &str) -> Result<&str, OaiError> {
        self.get(name).ok_or_else(|| {
            OaiError::new(
                ErrorCode::BadArgument,
                format!("the argument '{name}' is required"),
            )
        })
    }

    /// Refuses any argument but the verb and these.
    fn only(&self, allowed: &[&str]) -> Result<(), OaiError> {
        match self
            .0
            .iter()
            .find(|(name, _)| name != "verb" && !allowed.contains(&name.as_str()))
        {
            Some((name, _)) => Err(OaiError::new(
                ErrorCode::BadArgument,
                format!("the argument '{name}' is not allowed here"),
            )),
            None => Ok(()),
        }
    }
}

fn metadata_prefix(prefix: &str) -> Result<(), OaiError> {
    if prefix == OAI_DC {
        Ok(())
    } else {
        Err(OaiError::new(
            ErrorCode::CannotDisseminateFormat,
            format!("'{prefix}' is not a format served here: use oai_dc"),
        ))
    }
}

/// A datestamp argument: a day, or a second in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stamp {
    Day(NaiveDate),
    Second(NaiveDateTime),
}

impl Stamp {
    fn parse(name: &str, value: &str) -> Result<Stamp, OaiError> {
        if let Ok(day) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
            if value.len() == 10 {
                return Ok(Stamp::Day(day));
            }
        }
        if value.len() == 20 {
            if let Ok(second) = NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%SZ") {
                return Ok(Stamp::Second(second));
            }
        }
        Err(OaiError::new(
            ErrorCode::BadArgument,
            format!(
                "'{name}' must be a day (2026-01-31) or a second in UTC (2026-01-31T09:30:00Z)"
            ),
        ))
    }

    fn start(self) -> DateTime<Utc> {
        match self {
            Stamp::Day(day) => day.and_time(chrono::NaiveTime::MIN).and_utc(),
            Stamp::Second(second) => second.and_utc(),
        }
    }

    /// The first instant after the day or second.
    fn end(self) -> DateTime<Utc> {
        match self {
            Stamp::Day(_) => self.start() + Duration::days(1),
            Stamp::Second(_) => self.start() + Duration::seconds(1),
        }
    }

    fn is_day(self) -> bool {
        matches!(self, Stamp::Day(_))
    }
}

fn selection(arguments: &Arguments<'_>) -> Result<Selection, OaiError> {
    let from = arguments
        .get("from")
        .map(|v| Stamp::parse("from", v))
        .transpose()?;
    let until = arguments
        .get("until")
        .map(|v| Stamp::parse("until", v))
        .transpose()?;
    if let (Some(from), Some(until)) = (from, until) {
        if from.is_day() != until.is_day() {
            return Err(OaiError::new(
                ErrorCode::BadArgument,
                "'from' and 'until' must have the same granularity",
            ));
        }
        if from.start() > until.start() {
            return Err(OaiError::new(
                ErrorCode::BadArgument,
                "'from' is later than 'until'",
            ));
        }
    }
    let set = arguments
        .get("set")
        .map(|spec| {
            HarvestSet::parse(spec).ok_or_else(|| {
                // The schema's setSpecType: a spec that is not even one
                // is a malformed argument; one that could be, a set with
                // no records.
                let well_formed = spec.split(':').all(|part| {
                    !part.is_empty()
                        && part
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || "-_.!~*'()".contains(c))
                });
                let code = if well_formed {
                    ErrorCode::NoRecordsMatch
                } else {
                    ErrorCode::BadArgument
                };
                OaiError::new(
                    code,
                    format!("there is no set '{spec}': ListSets names them"),
                )
            })
        })
        .transpose()?;
    Ok(Selection {
        from: from.map(Stamp::start),
        until_before: until.map(Stamp::end),
        set,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ask(query: &str) -> Result<OaiRequest, OaiError> {
        let pairs = form_urlencoded::parse(query.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        parse(pairs, Utc::now()).request
    }

    fn code(query: &str) -> ErrorCode {
        match ask(query) {
            Err(error) => error.code,
            Ok(request) => panic!("{query} was accepted as {request:?}"),
        }
    }

    #[test]
    fn each_verb_takes_its_own_arguments() {
        assert_eq!(ask("verb=Identify"), Ok(OaiRequest::Identify));
        assert_eq!(ask("verb=ListSets"), Ok(OaiRequest::ListSets));
        assert_eq!(
            ask("verb=GetRecord&identifier=x&metadataPrefix=oai_dc"),
            Ok(OaiRequest::GetRecord {
                identifier: "x".to_owned()
            })
        );
        assert_eq!(code("verb=Identify&set=item:1"), ErrorCode::BadArgument);
        assert_eq!(code("verb=GetRecord&identifier=x"), ErrorCode::BadArgument);
        assert_eq!(code("verb=ListRecords"), ErrorCode::BadArgument);
        assert_eq!(
            code("verb=ListRecords&metadataPrefix=oai_dc&resumptionToken=x"),
            ErrorCode::BadArgument
        );
    }

    #[test]
    fn verbs_are_named_once_and_exactly() {
        assert_eq!(code(""), ErrorCode::BadVerb);
        assert_eq!(code("verb=identify"), ErrorCode::BadVerb);
        assert_eq!(code("verb=Identify&verb=Identify"), ErrorCode::BadVerb);
        assert!(code("verb=Identify&verb=Identify").is_malformed_request());
    }

    #[test]
    fn unknown_and_repeated_arguments_are_refused() {
        assert_eq!(code("verb=Identify&colour=red"), ErrorCode::BadArgument);
        assert_eq!(
            code("verb=ListRecords&metadataPrefix=oai_dc&set=item:1&set=item:2"),
            ErrorCode::BadArgument
        );
    }

    #[test]
    fn only_dublin_core_is_disseminated() {
        assert_eq!(
            code("verb=ListRecords&metadataPrefix=marc21"),
            ErrorCode::CannotDisseminateFormat
        );
        assert!(!ErrorCode::CannotDisseminateFormat.is_malformed_request());
    }

    fn selection_of(query: &str) -> Selection {
        match ask(query) {
            Ok(OaiRequest::List { token, .. }) => token.selection,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn days_and_seconds_bound_the_harvest() {
        let days = selection_of(
            "verb=ListIdentifiers&metadataPrefix=oai_dc&from=2026-01-01&until=2026-01-31",
        );
        assert_eq!(
            days.from.map(|t| t.to_rfc3339()),
            Some("2026-01-01T00:00:00+00:00".to_owned())
        );
        // `until` is inclusive: the whole of its day.
        assert_eq!(
            days.until_before.map(|t| t.to_rfc3339()),
            Some("2026-02-01T00:00:00+00:00".to_owned())
        );
        let seconds =
            selection_of("verb=ListRecords&metadataPrefix=oai_dc&until=2026-01-31T09:30:00Z");
        assert_eq!(
            seconds.until_before.map(|t| t.to_rfc3339()),
            Some("2026-01-31T09:30:01+00:00".to_owned())
        );
    }

    #[test]
    fn malformed_or_crossed_dates_are_bad_arguments() {
        for query in [
            "from=2026-1-1",
            "from=2026-01-01T09:30:00",
            "from=2026-01-01T09:30:00+01:00",
            "from=2026-01-01T09:30Z",
            "from=2026-02-01&until=2026-01-01",
            "from=2026-01-01&until=2026-01-31T00:00:00Z",
        ] {
            assert_eq!(
                code(&format!("verb=ListRecords&metadataPrefix=oai_dc&{query}")),
                ErrorCode::BadArgument,
                "{query}"
            );
        }
    }

    #[test]
    fn an_unknown_set_matches_no_records() {
        assert_eq!(
            code("verb=ListRecords&metadataPrefix=oai_dc&set=section:Z"),
            ErrorCode::NoRecordsMatch
        );
        assert_eq!(
            code("verb=ListRecords&metadataPrefix=oai_dc&set=a%20b"),
            ErrorCode::BadArgument
        );
    }

    #[test]
    fn a_list_of_sets_is_never_continued() {
        assert_eq!(
            code("verb=ListSets&resumptionToken=abc"),
            ErrorCode::BadResumptionToken
        );
    }
}

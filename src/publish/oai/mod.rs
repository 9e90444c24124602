//! OAI-PMH 2.0, the protocol libraries harvest repositories by (the UN
//! Digital Library, national libraries, research portals): requests read
//! into the protocol's own terms, and responses written as its schema
//! (`tests/oai/OAI-PMH.xsd`) says. What the records hold comes from the
//! service; nothing here reads the store.

pub mod request;
pub mod token;

use chrono::{DateTime, Utc};

use super::xml::{escaped, utc_seconds};
use crate::domain::harvest::HarvestSet;
pub use request::{ErrorCode, ListVerb, OaiError, OaiRequest, OAI_DC};
pub use token::ResumptionToken;

/// A record's header: every record has one, a deleted one has only that.
pub struct Header {
    pub identifier: String,
    pub datestamp: DateTime<Utc>,
    pub sets: Vec<HarvestSet>,
    pub deleted: bool,
}

/// A text and the language it is written in.
pub struct InLanguage {
    pub language: Option<&'static str>,
    pub text: String,
}

/// Unqualified Dublin Core, as `oai_dc` carries it.
pub struct DublinCore {
    pub titles: Vec<InLanguage>,
    pub creator: InLanguage,
    pub subjects: Vec<String>,
    pub description: InLanguage,
    pub publisher: String,
    /// The day the practice entered the catalogue (`2026-01-31`).
    pub date: String,
    pub language: String,
    /// The practice's page.
    pub identifier: String,
    pub rights: String,
}

pub struct Record {
    pub header: Header,
    /// `None` for a deleted record.
    pub metadata: Option<DublinCore>,
}

/// What the repository says of itself.
pub struct Identity {
    pub repository_name: String,
    pub admin_email: String,
    pub earliest_datestamp: DateTime<Utc>,
}

/// The `resumptionToken` element closing a page of a list.
pub struct Resumption {
    /// `None` on the last page of a list that was continued.
    pub token: Option<(String, DateTime<Utc>)>,
    /// Records answered before this page.
    pub cursor: u64,
}

pub enum Body {
    Identify(Identity),
    ListMetadataFormats,
    ListSets,
    GetRecord(Box<Record>),
    List {
        verb: ListVerb,
        records: Vec<Record>,
        resumption: Option<Resumption>,
    },
    Error(OaiError),
}

/// A whole response.
pub struct Response<'a> {
    pub base_url: &'a str,
    pub date: DateTime<Utc>,
    /// The request's arguments, echoed unless it was malformed.
    pub arguments: &'a [(String, String)],
    pub body: Body,
}

const OAI_DC_NAMESPACE: &str = "http://www.openarchives.org/OAI/2.0/oai_dc/";
const OAI_DC_SCHEMA: &str = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd";

impl Response<'_> {
    pub fn render(&self) -> String {
        let mut xml = String::with_capacity(match &self.body {
            Body::List { records, .. } => 1024 + records.len() * 2048,
            _ => 2048,
        });
        xml.push_str(concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
            "<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\" ",
            "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" ",
            "xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/ ",
            "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd\">\n"
        ));
        xml.push_str(&format!(
            "<responseDate>{}</responseDate>\n",
            utc_seconds(&self.date)
        ));
        xml.push_str("<request");
        let malformed = matches!(&self.body, Body::Error(e) if e.code.is_malformed_request());
        if !malformed {
            for (name, value) in self.arguments {
                xml.push_str(&format!(" {}=\"{}\"", escaped(name), escaped(value)));
            }
        }
        xml.push_str(&format!(">{}</request>\n", escaped(self.base_url)));
        match &self.body {
            Body::Identify(identity) => self.identify(&mut xml, identity),
            Body::ListMetadataFormats => xml.push_str(&format!(
                concat!(
                    "<ListMetadataFormats><metadataFormat>",
                    "<metadataPrefix>{}</metadataPrefix><schema>{}</schema>",
                    "<metadataNamespace>{}</metadataNamespace>",
                    "</metadataFormat></ListMetadataFormats>\n"
                ),
                OAI_DC, OAI_DC_SCHEMA, OAI_DC_NAMESPACE
            )),
            Body::ListSets => {
                xml.push_str("<ListSets>\n");
                for set in HarvestSet::all() {
                    xml.push_str(&format!(
                        "<set><setSpec>{}</setSpec><setName>{}</setName></set>\n",
                        escaped(&set.spec()),
                        escaped(&set.name())
                    ));
                }
                xml.push_str("</ListSets>\n");
            }
            Body::GetRecord(record) => {
                xml.push_str("<GetRecord>\n");
                write_record(&mut xml, record);
                xml.push_str("</GetRecord>\n");
            }
            Body::List {
                verb,
                records,
                resumption,
            } => {
                xml.push_str(&format!("<{}>\n", verb.as_str()));
                for record in records {
                    match verb {
                        ListVerb::ListIdentifiers => write_header(&mut xml, &record.header),
                        ListVerb::ListRecords => write_record(&mut xml, record),
                    }
                }
                if let Some(resumption) = resumption {
                    write_resumption(&mut xml, resumption);
                }
                xml.push_str(&format!("</{}>\n", verb.as_str()));
            }
            Body::Error(error) => xml.push_str(&format!(
                "<error code=\"{}\">{}</error>\n",
                error.code.as_str(),
                escaped(&error.message)
            )),
        }
        xml.push_str("</OAI-PMH>\n");
        xml
    }

    fn identify(&self, xml: &mut String, identity: &Identity) {
        xml.push_str(&format!(
            concat!(
                "<Identify>\n",
                "<repositoryName>{}</repositoryName>\n",
                "<baseURL>{}</baseURL>\n",
                "<protocolVersion>2.0</protocolVersion>\n",
                "<adminEmail>{}</adminEmail>\n",
                "<earliestDatestamp>{}</earliestDatestamp>\n",
                // Practices that leave the catalogue stay listed as deleted,
                // for as long as the service keeps its change log: always.
                "<deletedRecord>persistent</deletedRecord>\n",
                "<granularity>YYYY-MM-DDThh:mm:ssZ</granularity>\n",
                "</Identify>\n"
            ),
            escaped(&identity.repository_name),
            escaped(self.base_url),
            escaped(&identity.admin_email),
            utc_seconds(&identity.earliest_datestamp),
        ));
    }
}

fn write_header(xml: &mut String, header: &Header) {
    xml.push_str(if header.deleted {
        "<header status=\"deleted\">"
    } else {
        "<header>"
    });
    xml.push_str(&format!(
        "<identifier>{}</identifier><datestamp>{}</datestamp>",
        escaped(&header.identifier),
        utc_seconds(&header.datestamp)
    ));
    for set in &header.sets {
        xml.push_str(&format!("<setSpec>{}</setSpec>", escaped(&set.spec())));
    }
    xml.push_str("</header>\n");
}

fn write_record(xml: &mut String, record: &Record) {
    xml.push_str("<record>\n");
    write_header(xml, &record.header);
    if let Some(dc) = &record.metadata {
        xml.push_str("<metadata>\n");
        write_dublin_core(xml, dc);
        xml.push_str("</metadata>\n");
    }
    xml.push_str("</record>\n");
}

fn element(xml: &mut String, name: &str, text: &InLanguage) {
    match text.language {
        Some(language) => xml.push_str(&format!(
            "<dc:{name} xml:lang=\"{language}\">{}</dc:{name}>\n",
            escaped(&text.text)
        )),
        None => xml.push_str(&format!("<dc:{name}>{}</dc:{name}>\n", escaped(&text.text))),
    }
}

fn plain(xml: &mut String, name: &str, text: &str) {
    element(
        xml,
        name,
        &InLanguage {
            language: None,
            text: text.to_owned(),
        },
    );
}

fn write_dublin_core(xml: &mut String, dc: &DublinCore) {
    xml.push_str(&format!(
        concat!(
            "<oai_dc:dc xmlns:oai_dc=\"{ns}\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" ",
            "xsi:schemaLocation=\"{ns} {schema}\">\n"
        ),
        ns = OAI_DC_NAMESPACE,
        schema = OAI_DC_SCHEMA
    ));
    for title in &dc.titles {
        element(xml, "title", title);
    }
    element(xml, "creator", &dc.creator);
    for subject in &dc.subjects {
        plain(xml, "subject", subject);
    }
    element(xml, "description", &dc.description);
    plain(xml, "publisher", &dc.publisher);
    plain(xml, "date", &dc.date);
    plain(xml, "type", "Text");
    plain(xml, "format", "text/html");
    plain(xml, "identifier", &dc.identifier);
    plain(xml, "language", &dc.language);
    plain(xml, "rights", &dc.rights);
    xml.push_str("</oai_dc:dc>\n");
}

fn write_resumption(xml: &mut String, resumption: &Resumption) {
    match &resumption.token {
        Some((token, expires)) => xml.push_str(&format!(
            "<resumptionToken expirationDate=\"{}\" cursor=\"{}\">{}</resumptionToken>\n",
            utc_seconds(expires),
            resumption.cursor,
            escaped(token)
        )),
        None => xml.push_str(&format!(
            "<resumptionToken cursor=\"{}\"/>\n",
            resumption.cursor
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::annex::AnnexItem;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    fn response(arguments: &[(String, String)], body: Body) -> String {
        Response {
            base_url: "https://compendium.example/oai",
            date: at("2026-12-06T10:00:00Z"),
            arguments,
            body,
        }
        .render()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn a_malformed_request_is_not_echoed() {
        let arguments = pairs(&[("verb", "Nonsense"), ("x", "<y>")]);
        let xml = response(
            &arguments,
            Body::Error(OaiError::new(ErrorCode::BadVerb, "no such verb")),
        );
        assert!(xml.contains("<request>https://compendium.example/oai</request>"));
        assert!(xml.contains("<error code=\"badVerb\">no such verb</error>"));
        let arguments = pairs(&[("verb", "GetRecord"), ("identifier", "a&b")]);
        let xml = response(
            &arguments,
            Body::Error(OaiError::new(ErrorCode::IdDoesNotExist, "none")),
        );
        assert!(xml.contains("<request verb=\"GetRecord\" identifier=\"a&amp;b\">"));
    }

    #[test]
    fn records_carry_dublin_core_and_deleted_ones_only_a_header() {
        let item = AnnexItem::new(10).map(HarvestSet::Item);
        let live = Record {
            header: Header {
                identifier: "urn:uuid:1".to_owned(),
                datestamp: at("2026-01-02T03:04:05.678Z"),
                sets: item.into_iter().collect(),
                deleted: false,
            },
            metadata: Some(DublinCore {
                titles: vec![InLanguage {
                    language: Some("fr"),
                    text: "Équipe <CERT>".to_owned(),
                }],
                creator: InLanguage {
                    language: Some("fr"),
                    text: "France".to_owned(),
                },
                subjects: vec!["10. Incident response".to_owned()],
                description: InLanguage {
                    language: Some("fr"),
                    text: "Texte".to_owned(),
                },
                publisher: "United Nations Secretariat".to_owned(),
                date: "2026-01-02".to_owned(),
                language: "fr".to_owned(),
                identifier: "https://compendium.example/practices/1".to_owned(),
                rights: "Public".to_owned(),
            }),
        };
        let gone = Record {
            header: Header {
                identifier: "urn:uuid:2".to_owned(),
                datestamp: at("2026-01-03T00:00:00Z"),
                sets: Vec::new(),
                deleted: true,
            },
            metadata: None,
        };
        let arguments = pairs(&[("verb", "ListRecords"), ("metadataPrefix", "oai_dc")]);
        let xml = response(
            &arguments,
            Body::List {
                verb: ListVerb::ListRecords,
                records: vec![live, gone],
                resumption: Some(Resumption {
                    token: Some(("abc".to_owned(), at("2026-12-07T10:00:00Z"))),
                    cursor: 0,
                }),
            },
        );
        assert!(
            xml.contains("<datestamp>2026-01-02T03:04:05Z</datestamp><setSpec>item:10</setSpec>")
        );
        assert!(xml.contains("<dc:title xml:lang=\"fr\">Équipe &lt;CERT&gt;</dc:title>"));
        assert!(xml.contains("<header status=\"deleted\"><identifier>urn:uuid:2</identifier>"));
        assert_eq!(xml.matches("<metadata>").count(), 1);
        assert!(xml.contains(
            "<resumptionToken expirationDate=\"2026-12-07T10:00:00Z\" cursor=\"0\">abc</resumptionToken>"
        ));
    }
}

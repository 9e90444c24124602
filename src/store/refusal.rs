//! What to do about a PostgreSQL that refused the connection. libpq's own
//! words ("certificate verify failed") name the symptom; the operator of a
//! managed database needs the setting that cures it, so a refusal with a
//! known cause is reported with that advice beside libpq's message.

/// The advice for a connection error's text, when its cause is known.
pub fn advice(error: &str) -> Option<&'static str> {
    const CAUSES: &[(&[&str], &str)] = &[
        (
            &["certificate verify failed"],
            "the server's certificate is not signed by the CA in sslrootcert \
             (verify-ca and verify-full check it): set sslrootcert to the CA \
             certificate that signed it, as the database's provider publishes it",
        ),
        (
            &["does not match host name"],
            "verify-full checks that the certificate names the host of the URL: \
             connect by the name the certificate carries",
        ),
        (
            &["root certificate file", "does not exist"],
            "verify-ca and verify-full need sslrootcert=PATH, the CA certificate \
             that signed the server's",
        ),
        (
            &["server does not support SSL"],
            "the server offers no TLS: turn ssl on in its configuration, or use \
             sslmode=disable over a private network only",
        ),
        (
            &["no pg_hba.conf entry", "no encryption"],
            "the server accepts only connections over TLS: add sslmode=verify-full \
             and sslrootcert (or at least sslmode=require) to the URL",
        ),
    ];
    CAUSES
        .iter()
        .find(|(marks, _)| marks.iter().all(|mark| error.contains(mark)))
        .map(|(_, advice)| *advice)
}

#[cfg(test)]
mod tests {
    use super::advice;

    #[test]
    fn a_certificate_from_another_ca_points_at_sslrootcert() {
        let error = "timed out waiting for connection: connection to server at \"127.0.0.1\", \
                     port 5432 failed: SSL error: certificate verify failed";
        assert!(advice(error).is_some_and(|a| a.contains("sslrootcert")));
    }

    #[test]
    fn a_server_that_insists_on_tls_points_at_sslmode() {
        let error = "FATAL:  no pg_hba.conf entry for host \"10.0.0.5\", user \"app\", \
                     database \"compendium\", no encryption";
        assert!(advice(error).is_some_and(|a| a.contains("sslmode=verify-full")));
    }

    #[test]
    fn a_missing_root_certificate_is_told_apart_from_a_wrong_one() {
        let error = "root certificate file \"/root/.postgresql/root.crt\" does not exist";
        assert!(advice(error).is_some_and(|a| a.contains("need sslrootcert")));
    }

    #[test]
    fn a_refusal_of_another_kind_gets_no_advice() {
        assert_eq!(advice("FATAL:  password authentication failed"), None);
        assert_eq!(advice("Connection refused"), None);
    }
}

//! The tables, as diesel sees them. Types are the ones both backends share:
//! text ids and JSON, big integers, booleans, timestamps in UTC.

diesel::table! {
    organisations (code) {
        code -> Text,
        name -> Text,
        entity_type -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        name -> Text,
        role -> Text,
        entity -> Nullable<Text>,
        password_hash -> Text,
        disabled -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        tokens_valid_after -> Nullable<BigInt>,
        link_nonce -> Text,
        announcements -> Bool,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Text,
        user_id -> Text,
        name -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    admin_audit (id) {
        id -> Text,
        at -> Timestamp,
        actor_id -> Nullable<Text>,
        actor -> Text,
        action -> Text,
        target_type -> Text,
        target_id -> Text,
        before_json -> Nullable<Text>,
        after_json -> Nullable<Text>,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        user_id -> Text,
        csrf_token -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
    }
}

diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(sessions -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(
    users,
    api_tokens,
    admin_audit,
    organisations,
    sessions
);

diesel::table! {
    submissions (id) {
        id -> Text,
        entity -> Text,
        language -> Text,
        title -> Text,
        summary -> Nullable<Text>,
        status -> Text,
        version -> BigInt,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        submitted_at -> Nullable<Timestamp>,
        decided_at -> Nullable<Timestamp>,
        editor_message -> Nullable<Text>,
        decision_note -> Nullable<Text>,
        revises -> Nullable<Text>,
    }
}

diesel::table! {
    practices (id) {
        id -> Text,
        submission_id -> Text,
        position -> BigInt,
        title -> Text,
        body -> Text,
        items -> Text,
        sectors -> Text,
        editorial_note -> Nullable<Text>,
        updated_at -> Timestamp,
        suggested_items -> Text,
        withdrawn_at -> Nullable<Timestamp>,
        withdrawn_reason -> Nullable<Text>,
        replaces -> Nullable<Text>,
    }
}

diesel::table! {
    submission_versions (submission_id, version) {
        submission_id -> Text,
        version -> BigInt,
        status -> Text,
        saved_at -> Timestamp,
        document -> Text,
    }
}

diesel::table! {
    submission_events (id) {
        id -> Text,
        submission_id -> Text,
        at -> Timestamp,
        actor_id -> Nullable<Text>,
        actor -> Text,
        action -> Text,
        from_status -> Nullable<Text>,
        to_status -> Nullable<Text>,
        message -> Nullable<Text>,
    }
}

diesel::table! {
    /// Events per key per minute, for rate limits shared by replicas.
    rate_counts (throttle, key, minute) {
        throttle -> Text,
        key -> Text,
        minute -> BigInt,
        count -> BigInt,
    }
}

diesel::table! {
    /// Rebuilds of the search index asked of the running servers.
    index_rebuilds (generation) {
        generation -> BigInt,
        requested_at -> Timestamp,
        completed -> BigInt,
    }
}

diesel::table! {
    idempotency_keys (user_id, key) {
        user_id -> Text,
        key -> Text,
        request_hash -> Text,
        status_code -> BigInt,
        location -> Nullable<Text>,
        etag -> Nullable<Text>,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    catalogue_changes (seq) {
        seq -> BigInt,
        practice_id -> Text,
        submission_id -> Text,
        change -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    compilations (id) {
        id -> Text,
        status -> Text,
        title -> Text,
        introduction -> Nullable<Text>,
        scope -> Text,
        excluded -> Text,
        untagged -> Text,
        entries_count -> BigInt,
        version -> BigInt,
        edition_year -> Nullable<BigInt>,
        edition_rank -> Nullable<BigInt>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        assembled_at -> Timestamp,
        published_at -> Nullable<Timestamp>,
        published_by -> Nullable<Text>,
        assembled_through -> BigInt,
    }
}

diesel::table! {
    compilation_entries (compilation_id, position) {
        compilation_id -> Text,
        position -> BigInt,
        item -> BigInt,
        practice_id -> Text,
        title -> Text,
        body -> Text,
        items -> Text,
        submission_id -> Text,
        submission_version -> BigInt,
        entity -> Text,
        entity_name -> Text,
        entity_type -> Text,
        language -> Text,
        received_at -> Timestamp,
        accepted_at -> Timestamp,
    }
}

diesel::table! {
    outbox (id) {
        id -> Text,
        kind -> Text,
        recipient -> Text,
        language -> Text,
        payload -> Text,
        status -> Text,
        attempts -> BigInt,
        next_attempt_at -> Timestamp,
        claimed_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    subscriptions (id) {
        id -> Text,
        email -> Text,
        language -> Text,
        sections -> Text,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        link_nonce -> Text,
    }
}

diesel::joinable!(practices -> submissions (submission_id));
diesel::allow_tables_to_appear_in_same_query!(submissions, practices, users);

diesel::table! {
    assessments (id) {
        id -> Text,
        entity -> Text,
        year -> BigInt,
        language -> Text,
        status -> Text,
        shared -> Bool,
        version -> BigInt,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        completed_at -> Nullable<Timestamp>,
        reminded_at -> Nullable<Timestamp>,
        answers -> Text,
    }
}

diesel::table! {
    assessment_versions (assessment_id, version) {
        assessment_id -> Text,
        version -> BigInt,
        saved_at -> Timestamp,
        document -> Text,
    }
}

diesel::table! {
    assessment_events (id) {
        id -> Text,
        assessment_id -> Text,
        at -> Timestamp,
        actor_id -> Nullable<Text>,
        actor -> Text,
        action -> Text,
        message -> Nullable<Text>,
    }
}

diesel::table! {
    practice_translations (practice_id, language) {
        practice_id -> Text,
        language -> Text,
        title -> Text,
        body -> Text,
        origin -> Text,
        updated_by -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

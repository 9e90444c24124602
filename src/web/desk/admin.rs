//! The administrators' pages: accounts (made, re-roled, bound to an
//! entity, disabled), the organisations added to the reference list, and
//! the audit log. Each change goes through the same use case as its API
//! endpoint and leaves its audit entry.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use maud::{html, Markup};

use super::failure::{field_errors, Failure, OrPage};
use super::frame::{self, csrf_field, errors_list, table_head, Place};
use super::session::{Desk, Posted};
use crate::auth::Action;
use crate::domain::account::{Email, Role, User};
use crate::domain::clock;
use crate::domain::entities::{EntityCode, EntityType};
use crate::domain::history::AuditRecord;
use crate::domain::page::{Page, MAX_LIMIT};
use crate::error::{AppError, FieldError};
use crate::http::{passwords, State};
use crate::i18n::desk;
use crate::service::accounts::{self, AccountPatch, AccountRequest};
use crate::service::{audit, organisations};
use crate::text::collation;

fn role_select(desk: &Desk, id: &str, selected: Role) -> Markup {
    let d = desk::labels(desk.reader.language);
    html! {
        select id=(id) name="role" {
            @for role in [Role::FocalPoint, Role::Editor, Role::Admin] {
                option value=(role.as_str()) selected[role == selected] { (d.role(role)) }
            }
        }
    }
}

fn audit_table(desk: &Desk, caption: &str, records: &[AuditRecord]) -> Markup {
    let d = desk::labels(desk.reader.language);
    html! {
        table.submissions {
            (table_head(caption, &[&d.column_when, &d.column_who, &d.column_action, &d.column_record], None))
            tbody {
                @for r in records {
                    tr {
                        td { time dir="ltr" datetime=(r.at.to_rfc3339()) { (r.at.format("%Y-%m-%d %H:%M")) } }
                        td dir="ltr" { (r.actor) }
                        td dir="ltr" { code { (r.action) } }
                        td dir="ltr" { (r.target_type) " " code { (r.target_id) } }
                    }
                }
            }
        }
    }
}

async fn accounts_page(
    desk: &Desk,
    status: StatusCode,
    notice: Option<&str>,
    errors: &[FieldError],
    after: Option<String>,
) -> Result<HttpResponse, Failure> {
    let reader = &desk.reader;
    let d = desk::labels(reader.language);
    let page = Page {
        limit: MAX_LIMIT,
        after,
    };
    let fetch = page.clone();
    let mut users: Vec<User> = desk.run(move |c| accounts::list(c, &fetch)).await?;
    let more = users.len() > page.limit as usize;
    users.truncate(page.limit as usize);
    let main = html! {
        h1 { (d.accounts_title) }
        @if let Some(notice) = notice { p.notice role="status" { (notice) } }
        table.submissions {
            (table_head(&d.accounts_title, &[&d.column_name, &d.column_email, &d.column_role, &d.column_entity, &d.column_state], None))
            tbody {
                @for user in &users {
                    tr {
                        td { a href=(reader.link(&format!("/desk/accounts/{}", user.id))) { (user.name) } }
                        td dir="ltr" { (user.email.as_str()) }
                        td { (d.role(user.role)) }
                        td { (user.entity.as_ref().map(ToString::to_string).unwrap_or_default()) }
                        td { @if user.disabled { (d.account_disabled) } @else { (d.account_enabled) } }
                    }
                }
            }
        }
        @if more {
            @if let Some(last) = users.last() {
                p { a rel="next" href=(reader.link_with("/desk/accounts", &[("after", &last.id)])) { (reader.labels.next_page) } }
            }
        }
        section aria-labelledby="new-account-heading" {
            h2 #new-account-heading { (d.new_account_heading) }
            (errors_list(errors))
            form.desk-form method="post" action=(reader.link("/desk/accounts")) {
                (csrf_field(desk))
                p { label for="account-email" { (d.column_email) } input #account-email type="email" name="email" required autocomplete="off"; }
                p { label for="account-name" { (d.field_name) } input #account-name type="text" name="name" maxlength="200" required; }
                p { label for="account-role" { (d.field_role) } (role_select(desk, "account-role", Role::FocalPoint)) }
                p { label for="account-entity" { (d.field_account_entity) } input #account-entity type="text" name="entity" maxlength="10"; }
                p {
                    label for="account-password" { (d.field_first_password) }
                    input #account-password type="password" name="password" autocomplete="new-password" minlength="12" aria-describedby="account-password-hint";
                    span.hint #account-password-hint { (d.invite_hint) }
                }
                p { button type="submit" { (d.create_account_button) } }
            }
        }
    };
    let title = &d.accounts_title;
    Ok(frame::page(desk, status, Place::Accounts, title, main))
}

pub async fn accounts(desk: Desk) -> Result<HttpResponse, Failure> {
    desk.may(Action::ManageUsers)?;
    let d = desk::labels(desk.reader.language);
    let notice = desk
        .reader
        .param("created")
        .map(|_| d.account_created.as_str());
    accounts_page(
        &desk,
        StatusCode::OK,
        notice,
        &[],
        desk.reader.param("after").map(str::to_owned),
    )
    .await
}

pub async fn create_account(
    state: State,
    Posted(desk, form): Posted,
) -> Result<HttpResponse, Failure> {
    let reader = &desk.reader;
    let admin = desk.may(Action::ManageUsers)?;
    let entity = Some(form.text("entity").trim().to_owned()).filter(|e| !e.is_empty());
    let checked = Email::parse(&form.text("email"))
        .map_err(|m| AppError::invalid_field("email", m))
        .and_then(|email| {
            let role = form
                .text("role")
                .parse::<Role>()
                .map_err(|m| AppError::invalid_field("role", m))?;
            accounts::check(AccountRequest {
                email,
                name: form.text("name"),
                role,
                entity,
                // Left empty: the person is invited to choose their own.
                password: Some(form.text("password")).filter(|p| !p.is_empty()),
            })
        });
    let created = match checked {
        Ok(account) => passwords::create_account(&state, account, admin).await,
        Err(error) => Err(error),
    };
    match created {
        Ok(_) => Ok(frame::see_other(
            reader.link_with("/desk/accounts", &[("created", "1")]),
        )),
        Err(error) => {
            let errors = field_errors(error, reader)?;
            accounts_page(&desk, StatusCode::UNPROCESSABLE_ENTITY, None, &errors, None).await
        }
    }
}

pub async fn account(desk: Desk, path: web::Path<String>) -> Result<HttpResponse, Failure> {
    let reader = &desk.reader;
    let d = desk::labels(reader.language);
    desk.may(Action::ManageUsers)?;
    let id = path.into_inner();
    let (user, history) = desk
        .run(move |c| {
            let user = accounts::find(c, &id)?
                .ok_or_else(|| AppError::NotFound(format!("there is no user {id}")))?;
            let history = audit::of(c, "user", &user.id)?;
            Ok((user, history))
        })
        .await?;
    let saved = reader.param("saved").is_some();
    let entity = user
        .entity
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    let main = html! {
        p.back { a href=(reader.link("/desk/accounts")) { "← " (d.accounts_title) } }
        h1 { (user.name) }
        @if saved { p.notice role="status" { (d.account_saved) } }
        p dir="ltr" { (user.email.as_str()) }
        form.desk-form method="post" action=(reader.link(&format!("/desk/accounts/{}", user.id))) {
            (csrf_field(&desk))
            p { label for="account-email" { (d.column_email) } input #account-email type="email" name="email" required maxlength="254" dir="ltr" value=(user.email.as_str()); }
            p { label for="account-role" { (d.field_role) } (role_select(&desk, "account-role", user.role)) }
            p { label for="account-entity" { (d.field_account_entity) } input #account-entity type="text" name="entity" maxlength="10" value=(entity); }
            p.choice-line {
                input #account-disabled type="checkbox" name="disabled" value="true" checked[user.disabled];
                " " label for="account-disabled" { (d.disable_label) }
            }
            p { button type="submit" { (d.save_account_button) } }
        }
        (audit_table(&desk, &d.audit_title, &history))
    };
    frame::ok(&desk, Place::Accounts, &user.name, main)
}

pub async fn update_account(
    Posted(desk, form): Posted,
    path: web::Path<String>,
) -> Result<HttpResponse, Failure> {
    let reader = &desk.reader;
    let admin = desk.may(Action::ManageUsers)?;
    let role = form
        .text("role")
        .parse::<Role>()
        .map_err(|m| AppError::invalid_field("role", m))
        .or_page(reader)?;
    let entity = Some(form.text("entity").trim().to_owned()).filter(|e| !e.is_empty());
    let email = Some(form.text("email"))
        .filter(|e| !e.trim().is_empty())
        .map(|e| Email::parse(&e).map_err(|m| AppError::invalid_field("email", m)))
        .transpose()
        .or_page(reader)?;
    let patch = AccountPatch {
        role: Some(role),
        entity: Some(entity),
        disabled: Some(form.get("disabled") == Some("true")),
        email,
    };
    let id = path.into_inner();
    let target = id.clone();
    desk.run(move |c| accounts::update(c, &admin.id, admin.actor(), &target, patch, clock::now()))
        .await?;
    Ok(frame::see_other(reader.link_with(
        &format!("/desk/accounts/{id}"),
        &[("saved", "1")],
    )))
}

async fn organisations_page(
    desk: &Desk,
    status: StatusCode,
    notice: Option<&str>,
    errors: &[FieldError],
) -> Result<HttpResponse, Failure> {
    let reader = &desk.reader;
    let d = desk::labels(reader.language);
    let mut added = desk.run(organisations::added).await?;
    collation::sort_by_name(&mut added, reader.language, |e| &e.name);
    let main = html! {
        h1 { (d.organisations_title) }
        p { (d.organisations_intro) }
        @if let Some(notice) = notice { p.notice role="status" { (notice) } }
        @if !added.is_empty() {
            table.submissions {
                (table_head(&d.organisations_title, &[&d.field_code, &d.field_org_name, &d.field_org_type], None))
                tbody {
                    @for e in &added {
                        tr { td dir="ltr" { code { (e.code) } } td { (e.name) } td { (reader.labels.entity_type(e.entity_type)) } }
                    }
                }
            }
        }
        section aria-labelledby="new-organisation-heading" {
            h2 #new-organisation-heading { (d.new_organisation_heading) }
            (errors_list(errors))
            form.desk-form method="post" action=(reader.link("/desk/organisations")) {
                (csrf_field(desk))
                p { label for="org-code" { (d.field_code) } input #org-code type="text" name="code" maxlength="10" required; }
                p { label for="org-name" { (d.field_org_name) } input #org-name type="text" name="name" maxlength="200" required; }
                p {
                    label for="org-type" { (d.field_org_type) }
                    select #org-type name="type" {
                        @for t in EntityType::ALL.into_iter().filter(|t| t.is_organisation()) {
                            option value=(t.as_str()) { (reader.labels.entity_type(t)) }
                        }
                    }
                }
                p { button type="submit" { (d.add_organisation_button) } }
            }
        }
    };
    let title = &d.organisations_title;
    Ok(frame::page(desk, status, Place::Organisations, title, main))
}

pub async fn organisations(desk: Desk) -> Result<HttpResponse, Failure> {
    desk.may(Action::AddOrganisation)?;
    let d = desk::labels(desk.reader.language);
    let notice = desk
        .reader
        .param("added")
        .map(|_| d.organisation_added.as_str());
    organisations_page(&desk, StatusCode::OK, notice, &[]).await
}

pub async fn add_organisation(Posted(desk, form): Posted) -> Result<HttpResponse, Failure> {
    let reader = &desk.reader;
    let admin = desk.may(Action::AddOrganisation)?;
    let checked = EntityCode::parse(form.text("code").trim())
        .map_err(|e| AppError::invalid_field("code", e.to_string()))
        .and_then(|code| {
            let entity_type = form
                .text("type")
                .parse::<EntityType>()
                .map_err(|e| AppError::invalid_field("type", e.to_string()))?;
            organisations::check(code, &form.text("name"), entity_type)
        });
    let organisation = match checked {
        Ok(organisation) => organisation,
        Err(error) => {
            let errors = field_errors(error, reader)?;
            return organisations_page(&desk, StatusCode::UNPROCESSABLE_ENTITY, None, &errors)
                .await;
        }
    };
    desk.run(move |c| organisations::add(c, admin.actor(), &organisation, clock::now()))
        .await?;
    Ok(frame::see_other(
        reader.link_with("/desk/organisations", &[("added", "1")]),
    ))
}

pub async fn audit_log(desk: Desk) -> Result<HttpResponse, Failure> {
    let reader = &desk.reader;
    let d = desk::labels(reader.language);
    desk.may(Action::ManageUsers)?;
    let before = reader.param("before").map(str::to_owned);
    let (records, next) = desk
        .run(move |c| audit::log(c, before.as_deref(), 50))
        .await?;
    let main = html! {
        h1 { (d.audit_title) }
        p { (d.audit_intro) }
        (audit_table(&desk, &d.audit_title, &records))
        @if let Some(next) = &next {
            p { a rel="next" href=(reader.link_with("/desk/audit", &[("before", next)])) { (reader.labels.next_page) } }
        }
    };
    frame::ok(&desk, Place::Audit, &d.audit_title, main)
}

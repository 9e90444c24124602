//! The desk: the browser workspace of focal points, editors and
//! administrators, a second front door over the same use cases as the
//! JSON API. A server-side session (see `session`) stands for the person;
//! every form carries the session's CSRF token; pages need no script.

pub mod account;
pub mod admin;
pub mod assessment_form;
pub mod assessment_views;
pub mod assessments;
pub mod compilations;
pub mod dashboard;
pub mod diff_page;
pub mod editing;
pub mod editorial;
pub mod failure;
pub mod form;
pub mod frame;
pub mod recovery;
pub mod review;
pub mod session;
pub mod sign_in;
pub mod submission_form;
pub mod submission_page;
pub mod translations;

use actix_web::web;

/// Registers the desk's pages.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/sign-in")
            .route(web::get().to(sign_in::show))
            .route(web::post().to(sign_in::sign_in)),
    )
    .service(web::resource("/sign-out").route(web::post().to(sign_in::sign_out)))
    .service(
        web::resource("/set-password")
            .route(web::get().to(recovery::show))
            .route(web::post().to(recovery::set)),
    )
    .service(
        web::resource("/password-reset")
            .route(web::get().to(recovery::ask))
            .route(web::post().to(recovery::request_link)),
    )
    .service(web::resource("/desk").route(web::get().to(dashboard::show)))
    .service(web::resource("/desk/account").route(web::get().to(account::show)))
    .service(
        web::resource("/desk/account/password").route(web::post().to(account::change_password)),
    )
    .service(web::resource("/desk/account/tokens").route(web::post().to(account::create_token)))
    .service(
        web::resource("/desk/account/announcements")
            .route(web::post().to(account::choose_announcements)),
    )
    .service(
        web::resource("/desk/account/tokens/{id}/revoke")
            .route(web::post().to(account::revoke_token)),
    )
    .service(web::resource("/desk/review").route(web::get().to(review::show)))
    .service(
        web::resource("/desk/accounts")
            .route(web::get().to(admin::accounts))
            .route(web::post().to(admin::create_account)),
    )
    .service(
        web::resource("/desk/accounts/{id}")
            .route(web::get().to(admin::account))
            .route(web::post().to(admin::update_account)),
    )
    .service(
        web::resource("/desk/organisations")
            .route(web::get().to(admin::organisations))
            .route(web::post().to(admin::add_organisation)),
    )
    .service(web::resource("/desk/audit").route(web::get().to(admin::audit_log)))
    .service(
        web::resource("/desk/compilations")
            .route(web::get().to(compilations::list))
            .route(web::post().to(compilations::create)),
    )
    .service(web::resource("/desk/compilations/{id}").route(web::get().to(compilations::show)))
    .service(
        web::resource("/desk/compilations/{id}/{change}")
            .route(web::post().to(compilations::change)),
    )
    .service(
        web::resource("/desk/assessments")
            .route(web::get().to(assessments::list))
            .route(web::post().to(assessments::create)),
    )
    .service(
        web::resource("/desk/assessments/{id}")
            .route(web::get().to(assessments::show))
            .route(web::post().to(assessments::save)),
    )
    .service(
        web::resource("/desk/assessments/{id}/gaps").route(web::get().to(assessment_views::gaps)),
    )
    .service(
        web::resource("/desk/assessments/{id}/compare")
            .route(web::get().to(assessment_views::compare)),
    )
    .service(
        web::resource("/desk/assessments/{id}/export")
            .route(web::get().to(assessment_views::export)),
    )
    .service(
        web::resource("/desk/assessments/{id}/{move}").route(web::post().to(assessments::run_move)),
    )
    .service(web::resource("/desk/mail").route(web::get().to(editorial::mail)))
    .service(web::resource("/desk/mail/{id}/retry").route(web::post().to(editorial::retry_mail)))
    .service(web::resource("/desk/coverage").route(web::get().to(editorial::coverage)))
    .service(web::resource("/desk/practices/{id}/items").route(web::post().to(editorial::retag)))
    .service(
        web::resource("/desk/practices/{id}/translations/{lang}")
            .route(web::get().to(translations::show))
            .route(web::post().to(translations::save)),
    )
    .service(
        web::resource("/desk/practices/{id}/translations/{lang}/delete")
            .route(web::post().to(translations::remove)),
    )
    .service(web::resource("/desk/submissions/new").route(web::get().to(editing::new_form)))
    .service(web::resource("/desk/submissions").route(web::post().to(editing::create)))
    .service(web::resource("/desk/submissions/{id}").route(web::get().to(submission_page::show)))
    .service(
        web::resource("/desk/submissions/{id}/edit")
            .route(web::get().to(editing::edit_form))
            .route(web::post().to(editing::update)),
    )
    .service(web::resource("/desk/submissions/{id}/diff").route(web::get().to(diff_page::show)))
    .service(
        web::resource("/desk/submissions/{id}/revise")
            .route(web::post().to(submission_page::revise)),
    )
    .service(
        web::resource("/desk/submissions/{id}/{move}")
            .route(web::post().to(submission_page::run_move)),
    );
}
